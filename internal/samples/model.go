// Package samples writes sift's synthetic sample resumes: invented people,
// each rendered the way a real producer would (a word processor's PDF, a
// LaTeX-like PDF without space glyphs, a two-column template, DOCX, plain
// text, Markdown), so that the parser and the scorer are tested against
// what real files vary in, without any real person's resume.
//
// "go generate ./internal/samples" rewrites testdata/resumes; a test fails
// when the committed files differ from what the generator writes.
package samples

//go:generate go run ./gen -out ../../testdata/resumes

// A Resume is an invented candidate, independent of how it is rendered.
type Resume struct {
	Name     string
	Headline string
	Contact  []string // email, phone, city, links
	Summary  string
	Jobs     []Job
	Schools  []School
	Certs    []string
	Skills   []string
	Extra    []Section // further sections, such as memberships or projects
}

// A Job is one position.
type Job struct {
	Title, Org, Place, Dates string
	Bullets                  []string
}

// A School is one degree or programme.
type School struct {
	Degree, School, Year string
}

// A Section is a heading and its lines.
type Section struct {
	Heading string
	Lines   []string
}

// A Sample is one rendered file.
type Sample struct {
	Name string // file name, with the extension of its format
	Data []byte
}
