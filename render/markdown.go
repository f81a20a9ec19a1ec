package render

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/timeline"
)

// Markdown prints the timeline as a document section: metrics, stalls and a
// table of events that pastes into any postmortem.
func Markdown(w io.Writer, t *timeline.Timeline, opt Options) error {
	if err := t.Analyze(); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	z := opt.zone()
	title := opt.Title
	if title == "" {
		title = "Incident timeline"
	}
	fmt.Fprintf(bw, "# %s\n\n", mdInline(title))
	fmt.Fprintf(bw, "Window: %s to %s (%s). %d events from %s; %d secrets redacted.\n\n",
		mdTime(t.Window.From, z), mdTime(t.Window.To, z), z, t.Events, sourceList(t.Sources), t.Redactions)
	writeMetricsTable(bw, t, z)
	if len(t.Stalls) > 0 {
		fmt.Fprintf(bw, "## Stalls\n\nGaps in human activity while the incident was open:\n\n")
		for _, s := range t.Stalls {
			fmt.Fprintf(bw, "- %s to %s: %s\n", mdTime(s.From, z), s.To.In(z).Format("15:04:05"), duration(s.Seconds))
		}
		fmt.Fprintln(bw)
	}
	if len(t.Participants) > 0 {
		fmt.Fprintf(bw, "## People\n\n")
		for _, p := range t.Participants {
			name := p.Name
			if p.DisplayName != "" && !strings.EqualFold(p.DisplayName, p.Name) {
				name += " (" + p.DisplayName + ")"
			}
			fmt.Fprintf(bw, "- %s: %d events in %s\n", mdInline(name), p.Events, sourceList(p.Sources))
		}
		fmt.Fprintln(bw)
	}
	fmt.Fprintf(bw, "## Timeline\n\n| Time (%s) | Source | Who | What | Moments |\n|---|---|---|---|---|\n", z)
	day := ""
	err := t.Each(func(ev *debrief.Event) error {
		at := ev.Time.In(z)
		stamp := at.Format("15:04:05")
		if d := at.Format("2006-01-02"); d != day {
			day = d
			stamp = at.Format("2006-01-02 15:04:05")
		}
		where := string(ev.Source)
		if ev.Channel != "" {
			where += " " + channelLabel(ev)
		}
		var moments []string
		for _, m := range ev.Moments {
			moments = append(moments, Symbols[m]+" "+string(m))
		}
		text := mdInline(ev.Text)
		if ev.Kind == debrief.KindCommand {
			text = mdCode(ev.Text)
		}
		fmt.Fprintf(bw, "| <a id=\"%s\"></a>%s | %s | %s | %s | %s |\n", ev.ID, stamp, mdInline(where),
			mdInline(ev.Actor), text, strings.Join(moments, ", "))
		return nil
	})
	if err != nil {
		return err
	}
	for _, n := range t.Notes {
		fmt.Fprintf(bw, "\n> %s\n", mdInline(n))
	}
	return bw.Flush()
}

func writeMetricsTable(w io.Writer, t *timeline.Timeline, z *time.Location) {
	m := t.Metrics
	fmt.Fprintf(w, "| Metric | Time | Since first signal |\n|---|---|---|\n")
	row := func(name string, at time.Time) {
		since := "-"
		if !at.IsZero() && !m.FirstSignalAt.IsZero() {
			since = duration(int64(at.Sub(m.FirstSignalAt) / time.Second))
		}
		fmt.Fprintf(w, "| %s | %s | %s |\n", name, mdTime(at, z), since)
	}
	row("First signal", m.FirstSignalAt)
	row("Detected", m.DetectedAt)
	row("Acknowledged", m.AcknowledgedAt)
	row("Mitigated", m.MitigatedAt)
	row("Resolved", m.ResolvedAt)
	fmt.Fprintln(w)
	if m.DetectionGap > 0 {
		fmt.Fprintf(w, "**Missing signal:** people reported impact %s before the first alert.\n\n", duration(m.DetectionGap))
	}
}

func mdTime(t time.Time, z *time.Location) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(z).Format("2006-01-02 15:04:05")
}

var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`,
	"<", "&lt;", ">", "&gt;", "&", "&amp;", "#", `\#`, "\r\n", "<br>", "\n", "<br>",
)

// mdInline escapes text for a table cell: markdown syntax and raw HTML in
// inputs must show as typed, never render.
func mdInline(s string) string { return mdEscaper.Replace(safe(s)) }

// mdCode shows a command as code; backticks inside pick a longer fence.
func mdCode(s string) string {
	s = strings.NewReplacer("|", `\|`, "\r\n", " ⏎ ", "\n", " ⏎ ").Replace(safe(s))
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	return fence + " " + s + " " + fence
}
