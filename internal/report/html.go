package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"

	"sift/rules"
)

//go:embed report.html.tmpl
var reportHTML string

// Templates are the HTML templates the report and the web pages share: the
// "report" page, and the "candidate" block that shows one candidate's
// requirements with the evidence highlighted.
var Templates = template.Must(template.New("report").Funcs(Funcs).Parse(reportHTML))

// Funcs are the template functions the HTML templates use.
var Funcs = template.FuncMap{
	"highlight": Highlight,
	"pct":       func(c float64) string { return fmt.Sprintf("%.0f%%", 100*c) },
	"score":     func(s float64) string { return fmt.Sprintf("%.1f", s) },
	"yesno":     yesNo,
	"short":     short,
	"inc":       func(i int) int { return i + 1 },
	"anchor":    Anchor,
	"gap":       mainGap,
}

// HTML writes a self-contained HTML page: the ranked table, then each
// candidate's requirements as met, partial or missing with the evidence.
func HTML(w io.Writer, r *Report) error {
	return Templates.ExecuteTemplate(w, "report", r)
}

// Highlight returns an evidence's context with the matched text marked.
func Highlight(e rules.Evidence) template.HTML {
	ctx := e.Context
	i := strings.Index(ctx, e.Text)
	if e.Text == "" || i < 0 {
		return template.HTML(template.HTMLEscapeString(ctx))
	}
	return template.HTML(template.HTMLEscapeString(ctx[:i]) + "<mark>" + template.HTMLEscapeString(e.Text) + "</mark>" + template.HTMLEscapeString(ctx[i+len(e.Text):]))
}

// Anchor turns a file name into an HTML id.
func Anchor(s string) string {
	var b strings.Builder
	b.WriteString("c-")
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}
