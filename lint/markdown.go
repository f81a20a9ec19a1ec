package lint

import (
	"bytes"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// Document is a postmortem parsed as markdown: the prose to judge, its
// sections, tables and lists, each piece knowing where in the file it came
// from. Code (fenced, indented, inline) and quotes (pasted chat, logs) are
// kept out of the prose: they are evidence, not the author's words.
type Document struct {
	Path     string
	src      []byte
	lineOff  []int // byte offset of the start of each line
	Blocks   []Block
	Sections []Section
	Tables   []Table
	Lists    []ListItem
	// Quoted holds the prose of block quotes: not judged, but read for
	// structure (a five-whys chain is sometimes quoted).
	Words int
}

// BlockKind says where a block of prose sits.
type BlockKind uint8

const (
	KindParagraph BlockKind = iota
	KindHeading
	KindCell
	KindHeaderCell
	KindItem
)

// Block is one run of prose (a paragraph, heading, table cell or list item's
// text) with the source offset of every byte, so findings point at words.
type Block struct {
	Kind BlockKind
	Text string
	runs []run // maps text offsets to source offsets
	// Off is the block's first source byte.
	Off int
	// Level is the heading level for headings.
	Level int
}

// Section is a heading and the source range it governs (up to the next
// heading of the same or a higher level).
type Section struct {
	Title      string
	Level      int
	Off, End   int
	Line       int
	headingIdx int // index of the heading in Blocks
}

// Table is a markdown (GFM) table.
type Table struct {
	Off    int
	Header []Cell
	Rows   [][]Cell
}

// Cell is one table cell's text and where it starts.
type Cell struct {
	Text  string
	Off   int
	Block int // index of its prose block
}

// ListItem is one item of a bullet or numbered list, its text flattened.
type ListItem struct {
	Text  string
	Off   int
	Block int
	Depth int
}

// markdown is one goldmark parser; documents are parsed one at a time on
// each worker, so each worker holds its own.
type markdown struct{ md goldmark.Markdown }

func newMarkdown() *markdown {
	return &markdown{md: goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough))}
}

// Parse reads src. It never fails: any bytes are some markdown.
func (m *markdown) Parse(path string, src []byte) *Document {
	d := &Document{Path: path, src: src}
	d.lineOff = append(d.lineOff, 0)
	for i, c := range src {
		if c == '\n' {
			d.lineOff = append(d.lineOff, i+1)
		}
	}
	root := m.md.Parser().Parse(text.NewReader(src))
	w := &walker{d: d, src: src}
	w.block(root, 0)
	d.closeSections(len(src))
	return d
}

type walker struct {
	d    *Document
	src  []byte
	buf  []byte
	runs []run
}

// run maps the block text from byte text on: to source offset src+k for
// the k-th byte, or to src for every byte when fixed (words the walker
// wrote, like CODE for a code span).
type run struct {
	text, src int32
	fixed     bool
}

// block walks block-level nodes; depth is the list nesting.
func (w *walker) block(n ast.Node, depth int) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Heading:
			sec := Section{Level: c.Level, Off: nodeOff(c, nil), headingIdx: w.emit(c, KindHeading, c.Level)}
			if sec.headingIdx >= 0 { // an empty heading ("#") still opens a section
				sec.Title, sec.Off = w.d.Blocks[sec.headingIdx].Text, w.d.Blocks[sec.headingIdx].Off
			}
			sec.Line = w.d.Line(sec.Off)
			w.d.Sections = append(w.d.Sections, sec)
		case *ast.Paragraph, *ast.TextBlock:
			if _, ok := n.(*ast.ListItem); ok {
				continue // the item was flattened when its list was visited
			}
			w.emit(c, KindParagraph, 0)
		case *ast.List:
			for it := c.FirstChild(); it != nil; it = it.NextSibling() {
				w.item(it, depth)
			}
		case *ast.Blockquote, *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock, *ast.ThematicBreak:
			// evidence and markup, not prose
		case *extast.Table:
			w.table(c)
		default:
			w.block(c, depth)
		}
	}
}

// item flattens a list item's own text (its paragraphs, not nested lists)
// into one block, then visits nested lists.
func (w *walker) item(it ast.Node, depth int) {
	w.buf, w.runs = w.buf[:0], w.runs[:0]
	var nested []ast.Node
	for c := it.FirstChild(); c != nil; c = c.NextSibling() {
		switch c.(type) {
		case *ast.Paragraph, *ast.TextBlock, *ast.Heading:
			if len(w.buf) > 0 {
				w.add(" ", w.lastOff())
			}
			w.inline(c)
		case *ast.List:
			nested = append(nested, c)
		case *ast.Blockquote, *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock:
		default:
			nested = append(nested, c)
		}
	}
	if len(w.buf) > 0 {
		i := w.flush(KindItem, 0, w.firstOff(it))
		b := w.d.Blocks[i]
		w.d.Lists = append(w.d.Lists, ListItem{Text: b.Text, Off: b.Off, Block: i, Depth: depth})
	}
	for _, c := range nested {
		if l, ok := c.(*ast.List); ok {
			for x := l.FirstChild(); x != nil; x = x.NextSibling() {
				w.item(x, depth+1)
			}
		} else {
			w.block(c, depth+1)
		}
	}
}

func (w *walker) table(t *extast.Table) {
	tab := Table{Off: -1}
	for r := t.FirstChild(); r != nil; r = r.NextSibling() {
		var row []Cell
		_, header := r.(*extast.TableHeader)
		kind := KindCell
		if header {
			kind = KindHeaderCell
		}
		for c := r.FirstChild(); c != nil; c = c.NextSibling() {
			i := w.emit(c, kind, 0)
			if i < 0 {
				row = append(row, Cell{Off: -1, Block: -1})
				continue
			}
			b := w.d.Blocks[i]
			row = append(row, Cell{Text: b.Text, Off: b.Off, Block: i})
			if tab.Off < 0 {
				tab.Off = b.Off
			}
		}
		if header {
			tab.Header = row
		} else {
			tab.Rows = append(tab.Rows, row)
		}
	}
	if tab.Off < 0 {
		tab.Off = nodeOff(t, nil)
	}
	w.d.Tables = append(w.d.Tables, tab)
}

// emit turns one node's inline content into a block; -1 when it is empty
// (an empty table cell still yields a block, so columns line up).
func (w *walker) emit(n ast.Node, kind BlockKind, level int) int {
	w.buf, w.runs = w.buf[:0], w.runs[:0]
	w.inline(n)
	if len(w.buf) == 0 && kind != KindCell && kind != KindHeaderCell {
		return -1
	}
	return w.flush(kind, level, w.firstOff(n))
}

func (w *walker) flush(kind BlockKind, level, off int) int {
	txt := strings.TrimRight(string(w.buf), " ")
	b := Block{Kind: kind, Text: txt, runs: append([]run(nil), w.runs...), Off: off, Level: level}
	w.d.Blocks = append(w.d.Blocks, b)
	w.d.Words += countWords(txt)
	return len(w.d.Blocks) - 1
}

// lastOff is the source offset of the last byte written.
func (w *walker) lastOff() int {
	if len(w.runs) == 0 {
		return 0
	}
	return mapOffset(w.runs, len(w.buf)-1)
}

// firstOff is where the text collected from n starts in the source.
func (w *walker) firstOff(n ast.Node) int {
	if len(w.runs) > 0 {
		return int(w.runs[0].src)
	}
	return nodeOff(n, nil)
}

func (w *walker) add(s string, off int) {
	w.runs = append(w.runs, run{text: int32(len(w.buf)), src: int32(off), fixed: true})
	w.buf = append(w.buf, s...)
}

func (w *walker) addSource(start, stop int) {
	if start >= stop {
		return
	}
	w.runs = append(w.runs, run{text: int32(len(w.buf)), src: int32(start)})
	n := len(w.buf)
	w.buf = append(w.buf, w.src[start:stop]...)
	for i := n; i < len(w.buf); i++ {
		if c := w.buf[i]; c == '\n' || c == '\r' || c == '\t' {
			w.buf[i] = ' '
		}
	}
}

// mapOffset maps a text offset through runs to the source.
func mapOffset(runs []run, i int) int {
	k := sort.Search(len(runs), func(k int) bool { return int(runs[k].text) > i }) - 1
	if k < 0 {
		k = 0
	}
	r := runs[k]
	if r.fixed {
		return int(r.src)
	}
	return int(r.src) + i - int(r.text)
}

// inline appends the text of n's inline children. Code spans become the
// word CODE and autolinks LINK: grammar keeps its shape, their content is
// not judged.
func (w *walker) inline(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			seg := c.Segment
			w.addSource(seg.Start, seg.Stop)
			if c.SoftLineBreak() || c.HardLineBreak() {
				w.add(" ", seg.Stop)
			}
		case *ast.String:
			w.add(string(c.Value), w.lastOff())
		case *ast.CodeSpan:
			w.add("CODE", codeOff(c, w.lastOff()))
		case *ast.AutoLink:
			w.add("LINK", w.lastOff())
		case *ast.RawHTML, *ast.Image:
		case *extast.Strikethrough:
			// retracted words are not asserted
		default:
			w.inline(c)
		}
	}
}

func codeOff(c *ast.CodeSpan, def int) int {
	if t, ok := c.FirstChild().(*ast.Text); ok {
		return max(t.Segment.Start-1, 0)
	}
	return def
}

// nodeOff is where a node starts in the source: its first line, else the
// first text byte collected from it.
func nodeOff(n ast.Node, _ []int32) int {
	if n.Type() == ast.TypeBlock {
		if l := n.Lines(); l != nil && l.Len() > 0 {
			return l.At(0).Start
		}
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if o := nodeOff(c, nil); o > 0 {
			return o
		}
	}
	return 0
}

// closeSections sets each section's end: the next heading at the same or
// a higher level, else the end of the document.
func (d *Document) closeSections(end int) {
	for i := range d.Sections {
		d.Sections[i].End = end
		for j := i + 1; j < len(d.Sections); j++ {
			if d.Sections[j].Level <= d.Sections[i].Level {
				d.Sections[i].End = d.Sections[j].Off
				break
			}
		}
	}
}

// Line is the 1-based line of a source offset.
func (d *Document) Line(off int) int {
	return sort.Search(len(d.lineOff), func(i int) bool { return d.lineOff[i] > off })
}

// Position is the 1-based line and column (in characters) of a source
// offset.
func (d *Document) Position(off int) (line, col int) {
	off = min(max(off, 0), len(d.src))
	line = d.Line(off)
	start := d.lineOff[line-1]
	return line, utf8.RuneCount(d.src[start:off]) + 1
}

// SourceOffset maps a byte of a block's text to the source.
func (b *Block) SourceOffset(i int) int {
	if len(b.runs) == 0 {
		return b.Off
	}
	return mapOffset(b.runs, min(max(i, 0), len(b.Text)))
}

// In reports whether a source offset lies in the section.
func (s *Section) In(off int) bool { return off >= s.Off && off < s.End }

// SectionOf returns the innermost section holding off, or nil.
func (d *Document) SectionOf(off int) *Section {
	var best *Section
	for i := range d.Sections {
		s := &d.Sections[i]
		if s.In(off) && (best == nil || s.Level > best.Level || s.Off > best.Off) {
			best = s
		}
	}
	return best
}

// LineText returns the text of a 1-based line (for snippets).
func (d *Document) LineText(line int) string {
	if line < 1 || line > len(d.lineOff) {
		return ""
	}
	start := d.lineOff[line-1]
	end := len(d.src)
	if line < len(d.lineOff) {
		end = d.lineOff[line] - 1
	}
	return string(bytes.TrimRight(d.src[start:end], "\r"))
}

// countWords counts runs of non-space bytes.
func countWords(s string) int {
	n, in := 0, false
	for i := 0; i < len(s); i++ {
		sp := s[i] == ' '
		if !sp && !in {
			n++
		}
		in = !sp
	}
	return n
}
