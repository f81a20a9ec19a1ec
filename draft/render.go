package draft

import (
	"bytes"
	"embed"
	"fmt"
	"html"
	htmltemplate "html/template"
	"io"
	"regexp"
	"strconv"
	"strings"
	"text/template"
)

//go:embed templates/*.tmpl
var builtin embed.FS

// Builtins are the template names --template accepts besides a file.
var Builtins = []string{"default", "google-sre"}

// Template renders a Doc as markdown.
type Template struct {
	name string
	t    *template.Template
}

// Builtin returns a built-in template: "default" (the playbook's retro) or
// "google-sre" (Google's SRE book postmortem, with its causes section asking
// for contributing factors).
func Builtin(name string) (*Template, error) {
	if name == "" {
		name = "default"
	}
	src, err := builtin.ReadFile("templates/" + name + ".md.tmpl")
	if err != nil {
		return nil, fmt.Errorf("no built-in template %q (built in: %s)", name, strings.Join(Builtins, ", "))
	}
	return ParseTemplate(name, src)
}

// ParseTemplate reads a team's own template (Go text/template over Doc). A
// mistake in it is a *TemplateError at its line and column.
func ParseTemplate(name string, src []byte) (*Template, error) {
	t, err := template.New(name).Option("missingkey=error").Funcs(markdownFuncs).Parse(string(src))
	if err != nil {
		return nil, templateError(name, src, err)
	}
	return &Template{name: name, t: t}, nil
}

// Markdown renders d. An execution error (a field that does not exist, an
// uncited sentence) is a *TemplateError too.
func (t *Template) Markdown(w io.Writer, d *Doc) error {
	var buf bytes.Buffer
	if err := t.t.Execute(&buf, d); err != nil {
		return templateError(t.name, nil, err)
	}
	_, err := w.Write(tidy(buf.Bytes()))
	return err
}

// tidy collapses the runs of blank lines templates leave.
func tidy(b []byte) []byte {
	for bytes.Contains(b, []byte("\n\n\n")) {
		b = bytes.ReplaceAll(b, []byte("\n\n\n"), []byte("\n\n"))
	}
	return b
}

var markdownFuncs = template.FuncMap{
	"cite":  citeMarkdown,
	"md":    mdEscape,
	"cell":  cellEscape,
	"join":  strings.Join,
	"upper": strings.ToUpper,
	"lower": strings.ToLower,
	"short": short,
}

// citeMarkdown renders a sentence with links to the entries it cites.
func citeMarkdown(s Sentence) (string, error) {
	if len(s.cites) == 0 || s.text == "" {
		return "", errUncited
	}
	var b strings.Builder
	b.WriteString(s.text)
	b.WriteString(" (")
	for i, c := range s.cites {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "[%s %s](#%s)", c.Time, mdEscape(c.Source), c.Anchor)
	}
	b.WriteString(")")
	return b.String(), nil
}

var mdSpecial = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", `\<`, ">", `\>`,
	"|", `\|`, "~", `\~`, "&", `\&`, "#", `\#`, "\n", " ", "\r", " ",
)

// mdEscape makes text from the inputs inert in markdown: no emphasis, links,
// HTML or table breaks, and on one line. Redaction markers stay as they are
// ("[REDACTED:github-token]" is not a link), so they read and scan the same
// in every output.
func mdEscape(s string) string {
	out := mdSpecial.Replace(s)
	if !strings.Contains(s, "[REDACTED:") {
		return out
	}
	return reEscapedMarker.ReplaceAllStringFunc(out, func(m string) string {
		return strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(m, `\[`, "["), `\]`, "]"), `\_`, "_")
	})
}

var reEscapedMarker = regexp.MustCompile(`\\\[REDACTED:[a-z0-9\\_-]+\\\]`)

// cellEscape is mdEscape for a table cell (the same escapes suffice).
func cellEscape(s string) string { return mdEscape(s) }

var htmlFuncs = htmltemplate.FuncMap{
	"cites": func(s Sentence) ([]Cite, error) {
		if len(s.cites) == 0 || s.text == "" {
			return nil, errUncited
		}
		return s.cites, nil
	},
	"join": strings.Join,
	"rich": richText,
}

// richText escapes a sentence for HTML and shows its `code` spans as code.
func richText(s string) htmltemplate.HTML {
	parts := strings.Split(s, "`")
	var b strings.Builder
	for i, p := range parts {
		switch {
		case i%2 == 1 && i < len(parts)-1:
			b.WriteString("<code>" + html.EscapeString(p) + "</code>")
		case i%2 == 1:
			b.WriteString("`" + html.EscapeString(p)) // an unmatched backtick
		default:
			b.WriteString(html.EscapeString(p))
		}
	}
	return htmltemplate.HTML(b.String())
}

var pageTemplate = htmltemplate.Must(htmltemplate.New("page.html.tmpl").Funcs(htmlFuncs).ParseFS(builtin, "templates/page.html.tmpl"))

// HTML renders d as a self-contained, printable page: every string from the
// inputs escaped, no script, and each citation a link to its entry.
func HTML(w io.Writer, d *Doc) error {
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, d); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// TemplateError is a mistake in a template, at its line and column.
type TemplateError struct {
	Name         string
	Line, Column int
	Msg          string
}

func (e *TemplateError) Error() string {
	return fmt.Sprintf("template %s:%d:%d: %s", e.Name, e.Line, e.Column, e.Msg)
}

var (
	reExecPos  = regexp.MustCompile(`^template: [^:]*:(\d+):(\d+): (.*)$`)
	reParsePos = regexp.MustCompile(`^template: [^:]*:(\d+): (.*)$`)
	reFunc     = regexp.MustCompile(`function "([^"]+)" not defined`)
	reUnexp    = regexp.MustCompile(`unexpected "?([^"\s]+)"?`)
)

// templateError places a text/template error. Execution errors carry a
// column; for parse errors (line only) the column is found on the line:
// the undefined function's name, the unexpected token, else the first
// action.
func templateError(name string, src []byte, err error) error {
	msg := err.Error()
	if m := reExecPos.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		col, _ := strconv.Atoi(m[2]) // text/template counts columns from 0
		return &TemplateError{Name: name, Line: line, Column: col + 1, Msg: cleanExec(m[3])}
	}
	m := reParsePos.FindStringSubmatch(msg)
	if m == nil {
		return &TemplateError{Name: name, Line: 1, Column: 1, Msg: msg}
	}
	line, _ := strconv.Atoi(m[1])
	text := lineOf(src, line)
	col := strings.Index(text, "{{") + 1
	if f := reFunc.FindStringSubmatch(m[2]); f != nil {
		if i := strings.Index(text, f[1]); i >= 0 {
			col = i + 1
		}
	} else if u := reUnexp.FindStringSubmatch(m[2]); u != nil && u[1] != "EOF" {
		if i := strings.Index(text, u[1]); i >= 0 {
			col = i + 1
		}
	}
	if col < 1 {
		col = 1
	}
	return &TemplateError{Name: name, Line: line, Column: col, Msg: m[2]}
}

// cleanExec drops text/template's node dump from an execution error.
func cleanExec(s string) string {
	if i := strings.Index(s, "> at <"); i >= 0 {
		if j := strings.Index(s[i:], ">: "); j >= 0 {
			return strings.TrimPrefix(s[:i+1]+s[i+j+1:], "executing ")
		}
	}
	return s
}

func lineOf(src []byte, line int) string {
	for i := 1; i < line && len(src) > 0; i++ {
		j := bytes.IndexByte(src, '\n')
		if j < 0 {
			return ""
		}
		src = src[j+1:]
	}
	if j := bytes.IndexByte(src, '\n'); j >= 0 {
		src = src[:j]
	}
	return string(src)
}
