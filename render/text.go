package render

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/timeline"
)

// Symbols mark moments in text and pictures next to their names, so meaning
// never depends on colour.
var Symbols = map[debrief.Moment]string{
	debrief.MomentDetection:     "◆",
	debrief.MomentEscalation:    "▲",
	debrief.MomentHypothesis:    "?",
	debrief.MomentDecision:      "■",
	debrief.MomentConfusion:     "~",
	debrief.MomentMissingSignal: "!",
	debrief.MomentMitigation:    "↺",
	debrief.MomentResolution:    "✓",
}

var ansi = map[debrief.Moment]string{
	debrief.MomentDetection:     "\x1b[1;31m",
	debrief.MomentEscalation:    "\x1b[35m",
	debrief.MomentHypothesis:    "\x1b[36m",
	debrief.MomentDecision:      "\x1b[1;34m",
	debrief.MomentConfusion:     "\x1b[33m",
	debrief.MomentMissingSignal: "\x1b[1;33m",
	debrief.MomentMitigation:    "\x1b[32m",
	debrief.MomentResolution:    "\x1b[1;32m",
}

const (
	dim   = "\x1b[2m"
	bold  = "\x1b[1m"
	reset = "\x1b[0m"
)

// Text prints the timeline for a terminal: a summary, then one line per event
// with its moments in words, stalls shown where they happened.
func Text(w io.Writer, t *timeline.Timeline, opt Options) error {
	if err := t.Analyze(); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	p := textPrinter{w: bw, opt: opt, zone: opt.zone(), stalls: t.Stalls}
	p.header(t)
	err := t.Each(func(ev *debrief.Event) error {
		p.event(ev)
		return nil
	})
	if err != nil {
		return err
	}
	p.footer(t)
	return bw.Flush()
}

type textPrinter struct {
	w      *bufio.Writer
	opt    Options
	zone   *time.Location
	day    string
	stalls []timeline.Stall
}

func (p *textPrinter) style(code, s string) string {
	if !p.opt.Color || code == "" {
		return s
	}
	return code + s + reset
}

func (p *textPrinter) header(t *timeline.Timeline) {
	title := p.opt.Title
	if title == "" {
		title = "Incident timeline"
	}
	fmt.Fprintf(p.w, "%s\n", p.style(bold, title))
	fmt.Fprintf(p.w, "%s to %s (%s) · %d events from %s · %d secrets redacted\n",
		p.stamp(t.Window.From), p.stamp(t.Window.To), p.zone, t.Events, sourceList(t.Sources), t.Redactions)
	m := t.Metrics
	var parts []string
	add := func(name string, at time.Time, since int64) {
		if at.IsZero() {
			return
		}
		s := name + " " + p.stamp(at)
		if since > 0 {
			s += " (+" + duration(since) + ")"
		}
		parts = append(parts, s)
	}
	add("first signal", m.FirstSignalAt, 0)
	add("detected", m.DetectedAt, m.TimeToDetect)
	add("acknowledged", m.AcknowledgedAt, m.TimeToAcknowlege)
	add("mitigated", m.MitigatedAt, m.TimeToMitigate)
	add("resolved", m.ResolvedAt, m.TimeToResolve)
	if len(parts) > 0 {
		fmt.Fprintf(p.w, "%s\n", strings.Join(parts, " · "))
	}
	if m.DetectionGap > 0 {
		fmt.Fprintf(p.w, "%s\n", p.style(ansi[debrief.MomentMissingSignal],
			fmt.Sprintf("! missing signal: people reported impact %s before the first alert", duration(m.DetectionGap))))
	}
	if len(t.Participants) > 0 {
		var names []string
		for _, person := range t.Participants {
			names = append(names, person.Name)
		}
		fmt.Fprintf(p.w, "people: %s\n", strings.Join(names, ", "))
	}
	for _, n := range t.Notes {
		fmt.Fprintf(p.w, "%s\n", p.style(dim, "note: "+n))
	}
	fmt.Fprintln(p.w)
}

func (p *textPrinter) stamp(at time.Time) string {
	if at.IsZero() {
		return "-"
	}
	return at.In(p.zone).Format("2006-01-02 15:04:05")
}

func (p *textPrinter) event(ev *debrief.Event) {
	at := ev.Time.In(p.zone)
	if day := at.Format("2006-01-02 Monday"); day != p.day {
		p.day = day
		fmt.Fprintf(p.w, "%s\n", p.style(bold, "── "+day+" ──"))
	}
	for len(p.stalls) > 0 && ev.Time.After(p.stalls[0].From) {
		s := p.stalls[0]
		p.stalls = p.stalls[1:]
		fmt.Fprintf(p.w, "%s\n", p.style(ansi[debrief.MomentConfusion],
			fmt.Sprintf("          ┄┄ stall: %s without human activity (%s to %s) ┄┄",
				duration(s.Seconds), s.From.In(p.zone).Format("15:04:05"), s.To.In(p.zone).Format("15:04:05"))))
	}
	where := string(ev.Source)
	if ev.Channel != "" {
		where += " " + channelLabel(ev)
	}
	actor := ev.Actor
	if actor == "" {
		actor = "-"
	}
	line := fmt.Sprintf("%s  %-24s %-14s %s", at.Format("15:04:05"), clip(safe(where), 24), clip(safe(actor), 14), indent(safe(ev.Text)))
	if ev.Bot {
		line = p.style(dim, line)
	}
	p.w.WriteString(line)
	for _, m := range ev.Moments {
		p.w.WriteString("  ")
		p.w.WriteString(p.style(ansi[m], "["+Symbols[m]+" "+string(m)+"]"))
	}
	p.w.WriteByte('\n')
}

func channelLabel(ev *debrief.Event) string {
	switch ev.Source {
	case debrief.SourceSlack, debrief.SourceMattermost, debrief.SourceDiscord:
		if !strings.HasPrefix(ev.Channel, "#") {
			return "#" + ev.Channel
		}
	}
	return ev.Channel
}

func (p *textPrinter) footer(t *timeline.Timeline) {
	if len(t.Stalls) == 0 {
		return
	}
	fmt.Fprintf(p.w, "\nstalls (gaps in human activity while the incident was open):\n")
	for _, s := range t.Stalls {
		fmt.Fprintf(p.w, "  %s to %s  %s\n", p.stamp(s.From), s.To.In(p.zone).Format("15:04:05"), duration(s.Seconds))
	}
}

func sourceList(s []debrief.Source) string {
	var out []string
	for _, x := range s {
		out = append(out, string(x))
	}
	if len(out) == 0 {
		return "no sources"
	}
	return strings.Join(out, ", ")
}

// clip shortens s to n runes with an ellipsis.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// indent keeps multi-line text (a continued command, a pasted log) under its
// own column.
func indent(s string) string {
	if !strings.Contains(s, "\n") {
		return s
	}
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+strings.Repeat(" ", 50))
}

// safe replaces control characters (an escape sequence pasted in chat could
// otherwise drive the reader's terminal) with visible placeholders.
func safe(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\n' && c != '\t' || c == 0x7f {
			clean = false
			break
		}
	}
	if clean && !strings.ContainsRune(s, '\u009b') {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return '\uFFFD'
		}
		return r
	}, s)
}
