package render

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/timeline"
)

// Picture geometry. The width is fixed so the picture reads the same on a
// projector and in a doc; events are binned per pixel column, so a
// million-event timeline draws as fast as a small one.
const (
	svgWidth    = 1200
	svgLeft     = 120
	svgRight    = 20
	svgTop      = 56
	laneHeight  = 34
	maxMarked   = 60
	axisHeight  = 40
	plotWidth   = svgWidth - svgLeft - svgRight
	labelBudget = 24
	labelGap    = 70
)

// SVG draws the incident: one lane per source, events as ticks, moments
// marked with symbol and word, stalls shaded, metrics as labelled lines.
func SVG(w io.Writer, t *timeline.Timeline, opt Options) error {
	if err := t.Analyze(); err != nil {
		return err
	}
	return Picture(w, Pictured{Window: t.Window, Metrics: t.Metrics, Sources: t.Sources, Stalls: t.Stalls, Each: t.Each}, opt)
}

// Pictured is what the picture needs of a timeline: its span, metrics,
// sources, stalls and events. The web app draws an incident's stored events
// through it.
type Pictured struct {
	Window  timeline.Window
	Metrics timeline.Metrics
	Sources []debrief.Source
	Stalls  []timeline.Stall
	Each    func(fn func(ev *debrief.Event) error) error
}

// Picture draws t as SVG.
func Picture(w io.Writer, t Pictured, opt Options) error {
	pic, err := collectPicture(&t)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	pic.write(bw, &t, opt)
	return bw.Flush()
}

type marked struct {
	at     time.Time
	lane   int
	moment debrief.Moment
	id     string
	text   string
}

type picture struct {
	from, to time.Time
	lanes    []debrief.Source
	bins     [][plotWidth]int32
	marks    []marked
	more     int
}

func collectPicture(t *Pictured) (*picture, error) {
	p := &picture{from: t.Window.From, to: t.Window.To}
	lanes := slices.Clone(t.Sources)
	p.lanes = lanes
	p.bins = make([][plotWidth]int32, len(lanes))
	if !p.to.After(p.from) {
		p.to = p.from.Add(time.Minute)
	}
	err := t.Each(func(ev *debrief.Event) error {
		lane := slices.Index(p.lanes, ev.Source)
		if lane < 0 {
			return nil
		}
		p.bins[lane][p.col(ev.Time)]++
		for _, m := range ev.Moments {
			if len(p.marks) >= maxMarked {
				p.more++
				continue
			}
			p.marks = append(p.marks, marked{at: ev.Time, lane: lane, moment: m, id: strings.Clone(ev.ID), text: strings.Clone(clip(ev.Text, 80))}) // events are only valid during the call
		}
		return nil
	})
	return p, err
}

func (p *picture) col(at time.Time) int {
	span := p.to.Sub(p.from)
	c := int(float64(at.Sub(p.from)) / float64(span) * (plotWidth - 1))
	return max(0, min(plotWidth-1, c))
}

func (p *picture) x(at time.Time) int { return svgLeft + p.col(at) }

func (p *picture) height() int { return svgTop + len(p.lanes)*laneHeight + axisHeight + 20 }

func (p *picture) write(w *bufio.Writer, t *Pictured, opt Options) {
	z := opt.zone()
	h := p.height()
	title := opt.Title
	if title == "" {
		title = "Incident timeline"
	}
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="tl-title" font-family="system-ui, sans-serif" font-size="12">`+"\n", svgWidth, h, svgWidth, h)
	fmt.Fprintf(w, `<title id="tl-title">%s</title>`+"\n", esc(title))
	fmt.Fprintf(w, `<style>.lane{fill:#8881}.tick{stroke:#4a6fa5}.stall{fill:#e0a0004d}.metric{stroke:#333;stroke-dasharray:4 3}.lbl{fill:#222}@media (prefers-color-scheme: dark){.lbl{fill:#ddd}.metric{stroke:#ccc}}</style>`+"\n")
	fmt.Fprintf(w, `<text class="lbl" x="%d" y="20" font-size="15" font-weight="bold">%s</text>`+"\n", svgLeft, esc(title))
	bottom := svgTop + len(p.lanes)*laneHeight
	for _, s := range t.Stalls {
		x1, x2 := p.x(s.From), p.x(s.To)
		fmt.Fprintf(w, `<rect class="stall" x="%d" y="%d" width="%d" height="%d"><title>stall: %s without human activity</title></rect>`+"\n",
			x1, svgTop, max(2, x2-x1), bottom-svgTop, esc(duration(s.Seconds)))
		fmt.Fprintf(w, `<text class="lbl" x="%d" y="%d" font-size="10">stall %s</text>`+"\n", x1+2, svgTop-4, esc(duration(s.Seconds)))
	}
	for i, src := range p.lanes {
		y := svgTop + i*laneHeight
		fmt.Fprintf(w, `<rect class="lane" x="%d" y="%d" width="%d" height="%d"/>`+"\n", svgLeft, y+2, plotWidth, laneHeight-4)
		fmt.Fprintf(w, `<text class="lbl" x="%d" y="%d" text-anchor="end">%s</text>`+"\n", svgLeft-8, y+laneHeight/2+4, esc(string(src)))
		for c, n := range p.bins[i] {
			if n == 0 {
				continue
			}
			fmt.Fprintf(w, `<line class="tick" x1="%d" x2="%d" y1="%d" y2="%d" stroke-width="1" stroke-opacity="%.2f"/>`+"\n",
				svgLeft+c, svgLeft+c, y+8, y+laneHeight-8, min(1, 0.35+0.15*float64(n)))
		}
	}
	p.writeMetrics(w, t, bottom, z)
	p.writeMarks(w, z)
	p.writeAxis(w, bottom, z)
	fmt.Fprintf(w, "</svg>\n")
}

func (p *picture) writeMetrics(w *bufio.Writer, t *Pictured, bottom int, z *time.Location) {
	m := t.Metrics
	type line struct {
		name string
		at   time.Time
	}
	for i, l := range []line{{"first signal", m.FirstSignalAt}, {"detected", m.DetectedAt},
		{"acknowledged", m.AcknowledgedAt}, {"mitigated", m.MitigatedAt}, {"resolved", m.ResolvedAt}} {
		if l.at.IsZero() {
			continue
		}
		x := p.x(l.at)
		fmt.Fprintf(w, `<line class="metric" x1="%d" x2="%d" y1="%d" y2="%d"/>`+"\n", x, x, svgTop-14, bottom)
		fmt.Fprintf(w, `<text class="lbl" x="%d" y="%d" font-size="10">%s %s</text>`+"\n",
			x+2, 34+(i%2)*10, esc(l.name), l.at.In(z).Format("15:04"))
	}
}

func (p *picture) writeMarks(w *bufio.Writer, z *time.Location) {
	lastLabel := map[int]int{} // lane -> x of its last word label
	labels := 0
	for _, mk := range p.marks {
		x := p.x(mk.at)
		y := svgTop + mk.lane*laneHeight + laneHeight/2 + 4
		fmt.Fprintf(w, `<a href="#%s"><text class="lbl" x="%d" y="%d" text-anchor="middle" font-weight="bold"><title>%s %s: %s</title>%s</text></a>`+"\n",
			esc(mk.id), x, y, mk.at.In(z).Format("15:04:05"), esc(string(mk.moment)), esc(mk.text), esc(Symbols[mk.moment]))
		// Words only where they do not pile up: a dense burst keeps its
		// symbols (each with its tooltip) and one label.
		if last, ok := lastLabel[mk.lane]; labels < labelBudget && (!ok || x-last >= labelGap) {
			lastLabel[mk.lane] = x
			labels++
			fmt.Fprintf(w, `<text class="lbl" x="%d" y="%d" font-size="9" transform="rotate(-30 %d %d)">%s</text>`+"\n",
				x+5, y-9, x+5, y-9, esc(string(mk.moment)))
		}
	}
	if p.more > 0 {
		fmt.Fprintf(w, `<text class="lbl" x="%d" y="%d" font-size="10">+%d more moments</text>`+"\n", svgWidth-svgRight-120, 20, p.more)
	}
}

func (p *picture) writeAxis(w *bufio.Writer, bottom int, z *time.Location) {
	span := p.to.Sub(p.from)
	layout := "15:04"
	if span > 36*time.Hour {
		layout = "Jan 2"
	}
	for i := 0; i <= 6; i++ {
		at := p.from.Add(span * time.Duration(i) / 6)
		x := p.x(at)
		fmt.Fprintf(w, `<text class="lbl" x="%d" y="%d" text-anchor="middle" font-size="10">%s</text>`+"\n", x, bottom+16, at.In(z).Format(layout))
	}
	fmt.Fprintf(w, `<text class="lbl" x="%d" y="%d" font-size="10">times in %s · ◆ detection ▲ escalation ? hypothesis ■ decision ~ confusion ! missing signal ↺ mitigation ✓ resolution · shaded: stalls</text>`+"\n",
		svgLeft, bottom+34, esc(z.String()))
}

// esc escapes text for SVG and HTML content and attributes.
func esc(s string) string { return html.EscapeString(strings.ToValidUTF8(safe(s), "\uFFFD")) }
