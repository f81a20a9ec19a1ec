package shellhist

import (
	"bytes"
	"strings"
)

// plainHistory reports whether head looks like a history of plain commands
// without timestamps. A name that says history (.bash_history,
// sam.history.txt) is enough once the content is text and no other format's;
// otherwise the lines must read as commands, mostly well-known ones, so that
// notes and postmortems in an incident folder are not mistaken for one.
func plainHistory(head []byte, name string) bool {
	if !textual(head) {
		return false
	}
	lines, commands, known, other := 0, 0, 0, false
	eachLine(head, func(_ int, line []byte) {
		lines++
		other = other || bashStamp(line) || hasPrefix(line, cmdKey) || hasPrefix(line, ": ")
		if commandLike(line) {
			commands++
			if knownCommand(line) {
				known++
			}
		}
	})
	switch {
	case lines == 0 || other:
		return false
	case strings.Contains(strings.ToLower(name), "hist"):
		return true
	}
	return lines >= 3 && commands*10 >= lines*9 && known*4 >= lines
}

// textual reports whether head is text that no structured format claims:
// no NUL or other control bytes beyond a few, and not JSON or markup.
func textual(head []byte) bool {
	trimmed := bytes.TrimLeft(head, " \t\r\n\ufeff")
	if len(trimmed) == 0 || bytes.IndexByte(head, 0) >= 0 {
		return false
	}
	switch trimmed[0] {
	case '{', '[', '<':
		return false
	}
	controls := 0
	for _, c := range head {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != 0x1b {
			controls++
		}
	}
	return controls*100 <= len(head)
}

// commandLike reports whether a line reads as a shell command rather than
// prose, a heading, a list item or a "Key: value" line.
func commandLike(line []byte) bool {
	line = bytes.TrimLeft(line, " \t")
	if len(line) == 0 {
		return false
	}
	c := line[0]
	if !(c >= 'a' && c <= 'z') && !strings.ContainsRune("./~_$({!\\", rune(c)) {
		return false
	}
	word, _, _ := bytes.Cut(line, []byte{' '})
	if last := word[len(word)-1]; last == ':' || last == ',' {
		return false
	}
	return !prose(line)
}

// prose reports a line of five or more plain words, or one of four or more
// that ends a sentence: text, not a command.
func prose(line []byte) bool {
	words := bytes.Fields(line)
	plain := 0
	for _, w := range words {
		w = bytes.TrimRight(w, ",.;:!?")
		if len(w) > 0 && bytes.IndexFunc(w, notLetter) < 0 {
			plain++
		}
	}
	if plain == len(words) && len(words) >= 5 {
		return true
	}
	return len(words) >= 4 && bytes.HasSuffix(line, []byte("."))
}

func notLetter(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 0x7f)
}

// knownCommand reports whether a line starts with a command common in
// responders' histories.
func knownCommand(line []byte) bool {
	word, _, _ := bytes.Cut(bytes.TrimLeft(line, " \t"), []byte{' '})
	switch string(word) {
	case "ls", "ll", "cd", "pwd", "cat", "less", "more", "head", "tail", "grep", "rg", "find",
		"vim", "vi", "nvim", "nano", "emacs", "git", "ssh", "scp", "rsync", "sudo", "su",
		"curl", "wget", "dig", "ping", "nc", "telnet", "traceroute", "netstat", "ss",
		"docker", "kubectl", "k", "k9s", "helm", "terraform", "aws", "gcloud", "az",
		"make", "go", "python", "python3", "pip", "npm", "yarn", "node", "cargo",
		"top", "htop", "ps", "kill", "pkill", "free", "df", "du", "uptime", "systemctl",
		"journalctl", "service", "tmux", "screen", "echo", "export", "source", "env",
		"mkdir", "rm", "cp", "mv", "ln", "chmod", "chown", "touch", "tar", "unzip",
		"awk", "sed", "jq", "sort", "uniq", "wc", "xargs", "watch", "man", "which",
		"history", "clear", "exit", "psql", "mysql", "redis-cli", "apt", "apt-get",
		"yum", "dnf", "brew", "open", "code":
		return true
	}
	return false
}
