// Package shellhist reads shell histories into command events, so that what
// responders typed during an incident stands on the timeline next to what
// they said and what paged them. It reads zsh with EXTENDED_HISTORY, bash
// with HISTTIMEFORMAT and fish; a history without timestamps is refused with
// advice on how to record them, since a command without a time cannot be
// placed on a timeline.
//
// Every format shares these decisions:
//   - Actor is Input.Actor when set, else the person named by the file
//     ("alice.zsh_history" is alice's, see OwnerFromName), else empty so the
//     timeline can ask for --actor. Identity is nil when the owner is unknown,
//     so that unowned histories are never joined into one made-up person.
//   - Channel is the file's base name ("alice.zsh_history"): histories do not
//     record their host, and the base name keeps a person's laptop and
//     bastion histories apart.
//   - Ref is "<base name>:<line where the entry starts>:<epoch>", which stays
//     the same as long as the file only grows at its end (as shells write it).
//   - Text is the command exactly as typed (multi-line commands keep their
//     newlines), made valid UTF-8; zsh's elapsed seconds are left out.
//   - An epoch of 0 is taken as "no time recorded" and, like a time after
//     2200, is a bad record.
//   - Histories hold months of commands: they are streamed line by line.
package shellhist

import (
	"context"
	"path"
	"strings"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
)

// Formats returns the zsh, bash and fish history formats, in that order, for
// the registry.
func Formats() []ingest.Format {
	return []ingest.Format{
		{Name: "zsh", Sniff: sniffZsh, Parser: ingest.ParserFunc(parseZsh)},
		{Name: "bash", Sniff: sniffBash, Parser: ingest.ParserFunc(parseBash)},
		{Name: "fish", Sniff: sniffFish, Parser: ingest.ParserFunc(parseFish)},
	}
}

// OwnerFromName returns the person a history file belongs to by the naming
// convention "<person>.<anything>" (alice.zsh_history, sam.history.txt), so
// that a folder of collected histories needs no --actor per file. It returns
// "" for the shells' own names (.zsh_history, zsh_history, history.txt),
// which say nothing about the person.
func OwnerFromName(name string) string {
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	if i := strings.LastIndexByte(base, ':'); i >= 0 {
		base = base[i+1:] // a member of an archive: "export.zip:erin.bash_history"
	}
	owner, _, ok := strings.Cut(base, ".")
	if !ok || owner == "" || shellWord(owner) {
		return ""
	}
	return owner
}

// shellWord reports whether a file name prefix names a shell or a history
// rather than a person.
func shellWord(s string) bool {
	s = strings.ToLower(s)
	if strings.Contains(s, "hist") {
		return true
	}
	switch s {
	case "sh", "bash", "zsh", "fish", "ksh", "csh", "tcsh", "shell", "commands":
		return true
	}
	return false
}

// baseName is the base name of the input's file, used for Channel, Ref and
// the owner.
func baseName(in *ingest.Input) string {
	if in.Path == "" || in.Path == "." {
		return path.Base(in.Name)
	}
	return path.Base(in.Path)
}

// open streams the lines of in to fn, checking ctx every few thousand lines
// so a cancelled run stops promptly even on a huge history.
func open(ctx context.Context, in *ingest.Input, fn func(line []byte, n int) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f, err := in.FS.Open(in.Path)
	if err != nil {
		return &debrief.InputError{File: in.Name, Msg: "cannot read history", Err: err}
	}
	defer f.Close()
	return ingest.Lines(in, f, func(line []byte, n int) error {
		if n&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		return fn(line, n)
	})
}
