package render

import (
	"bufio"
	"bytes"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/timeline"
)

// pageHead and eventRow are html/template templates: every string from the
// inputs is escaped by the template engine, and the page needs no script
// (so it can be mailed, archived and opened anywhere).
var pageHead = template.Must(template.New("head").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>{{.Title}}</title>
<style>
:root{color-scheme:light dark;--fg:#1d1d1f;--bg:#fff;--mute:#666;--line:#ddd;--hl:#fff4d6}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8e8;--bg:#161618;--mute:#aaa;--line:#333;--hl:#3a3220}}
body{font:16px/1.45 system-ui,sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:1240px;padding:1rem}
h1{font-size:1.6rem;margin:.2rem 0}.mute{color:var(--mute)}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid var(--line);padding:.3rem .5rem;vertical-align:top;text-align:left}
td.t{white-space:nowrap;font-variant-numeric:tabular-nums}td.x{white-space:pre-wrap;word-break:break-word}
tr.bot{color:var(--mute)}tr:target{background:var(--hl)}code{font-size:.92em}
.m{white-space:nowrap;font-size:.85em;border:1px solid var(--line);border-radius:3px;padding:0 .3em;margin-right:.2em}
.metrics td{border:0;padding:.1rem 1rem .1rem 0}svg{max-width:100%;height:auto}
</style></head><body>
<h1>{{.Title}}</h1>
<p class="mute">{{.From}} to {{.To}} ({{.Zone}}) · {{.Events}} events from {{.Sources}} · {{.Redactions}} secrets redacted</p>
<table class="metrics">{{range .Metrics}}<tr><td>{{.Name}}</td><td>{{.At}}</td><td class="mute">{{.Since}}</td></tr>{{end}}</table>
{{if .Gap}}<p><strong>! Missing signal:</strong> people reported impact {{.Gap}} before the first alert.</p>{{end}}
{{if .Stalls}}<p>Stalls: {{range $i, $s := .Stalls}}{{if $i}}, {{end}}{{$s}}{{end}}.</p>{{end}}
{{if .People}}<p>People: {{range $i, $p := .People}}{{if $i}}, {{end}}{{$p}}{{end}}.</p>{{end}}
{{range .Notes}}<p class="mute">Note: {{.}}</p>{{end}}
<figure>{{.Picture}}</figure>
<table><thead><tr><th>Time</th><th>Source</th><th>Who</th><th>What</th><th>Moments</th></tr></thead><tbody>
`))

var eventRow = template.Must(template.New("row").Parse(
	`<tr id="{{.ID}}"{{if .Bot}} class="bot"{{end}}><td class="t"><a href="#{{.ID}}">{{.Time}}</a></td><td>{{.Where}}</td><td>{{.Actor}}</td><td class="x">{{if .Command}}<code>{{.Text}}</code>{{else}}{{.Text}}{{end}}</td><td>{{range .Moments}}<span class="m" title="{{.Why}}">{{.Symbol}} {{.Name}}</span>{{end}}</td></tr>
`))

type metricRow struct{ Name, At, Since string }

type momentView struct{ Symbol, Name, Why string }

type rowView struct {
	ID, Time, Where, Actor, Text string
	Bot, Command                 bool
	Moments                      []momentView
}

// HTML writes a self-contained page: summary, the timeline picture, and every
// event with a stable anchor (#<event id>) that citations can link to.
func HTML(w io.Writer, t *timeline.Timeline, opt Options) error {
	if err := t.Analyze(); err != nil {
		return err
	}
	z := opt.zone()
	var svg bytes.Buffer
	if err := SVG(&svg, t, opt); err != nil {
		return err
	}
	title := opt.Title
	if title == "" {
		title = "Incident timeline"
	}
	head := map[string]any{
		"Title": title, "From": mdTime(t.Window.From, z), "To": mdTime(t.Window.To, z), "Zone": z.String(),
		"Events": t.Events, "Sources": sourceList(t.Sources), "Redactions": t.Redactions,
		"Metrics": metricRows(t.Metrics, z), "Notes": t.Notes, "Picture": template.HTML(svg.String()),
		"Stalls": stallTexts(t.Stalls, z), "People": peopleTexts(t.Participants),
	}
	if t.Metrics.DetectionGap > 0 {
		head["Gap"] = duration(t.Metrics.DetectionGap)
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	if err := pageHead.Execute(bw, head); err != nil {
		return err
	}
	day := ""
	err := t.Each(func(ev *debrief.Event) error {
		at := ev.Time.In(z)
		stamp := at.Format("15:04:05")
		if d := at.Format("2006-01-02"); d != day {
			day, stamp = d, at.Format("2006-01-02 15:04:05")
		}
		row := rowView{ID: ev.ID, Time: stamp, Where: string(ev.Source), Actor: safe(ev.Actor),
			Text: safe(ev.Text), Bot: ev.Bot, Command: ev.Kind == debrief.KindCommand}
		if ev.Channel != "" {
			row.Where += " " + safe(channelLabel(ev))
		}
		for _, m := range ev.Moments {
			row.Moments = append(row.Moments, momentView{Symbols[m], string(m), ev.Why.Of(m)})
		}
		return eventRow.Execute(bw, row)
	})
	if err != nil {
		return err
	}
	bw.WriteString("</tbody></table>\n</body></html>\n")
	return bw.Flush()
}

func metricRows(m timeline.Metrics, z *time.Location) []metricRow {
	var rows []metricRow
	for _, r := range []struct {
		name string
		at   time.Time
	}{{"First signal", m.FirstSignalAt}, {"Detected", m.DetectedAt}, {"Acknowledged", m.AcknowledgedAt},
		{"Mitigated", m.MitigatedAt}, {"Resolved", m.ResolvedAt}} {
		since := ""
		if !r.at.IsZero() && !m.FirstSignalAt.IsZero() && r.at.After(m.FirstSignalAt) {
			since = "+" + duration(int64(r.at.Sub(m.FirstSignalAt)/time.Second))
		}
		rows = append(rows, metricRow{r.name, mdTime(r.at, z), since})
	}
	return rows
}

func stallTexts(stalls []timeline.Stall, z *time.Location) []string {
	var out []string
	for _, s := range stalls {
		out = append(out, fmt.Sprintf("%s from %s", duration(s.Seconds), s.From.In(z).Format("15:04:05")))
	}
	return out
}

func peopleTexts(ps []debrief.Person) []string {
	var out []string
	for _, p := range ps {
		s := p.Name
		if p.DisplayName != "" && !strings.EqualFold(p.DisplayName, p.Name) {
			s += " (" + p.DisplayName + ")"
		}
		out = append(out, s)
	}
	return out
}
