package samples

import (
	"strings"

	"sift/internal/docxgen"
)

// DOCXOptions says how a resume is rendered to DOCX.
type DOCXOptions struct {
	Strict      bool   // ISO 29500 Strict namespaces instead of Transitional
	Application string // docProps/app.xml Application
	// ContactInHeader puts the name and contact details in the page header,
	// as many templates do.
	ContactInHeader bool
	// Tables lays skills and certifications out in a two-column table.
	Tables bool
	// SummaryBox puts the summary in a text box.
	SummaryBox bool
}

// RenderDOCX writes r as a Word document.
func RenderDOCX(r Resume, o DOCXOptions) []byte {
	d := docxgen.Document{Strict: o.Strict, Application: o.Application}
	head := []docxgen.Block{
		docxgen.PS(docxgen.StyleTitle, r.Name),
		docxgen.Paragraph{Runs: []docxgen.Run{{Text: r.Headline, Bold: true}}},
		docxgen.P(strings.Join(r.Contact, " | ")),
	}
	if o.ContactInHeader {
		d.Headers = [][]docxgen.Block{head}
	} else {
		d.Body = append(d.Body, head...)
	}
	add := func(b ...docxgen.Block) { d.Body = append(d.Body, b...) }
	if r.Summary != "" {
		add(docxgen.PS(docxgen.StyleHeading1, "Summary"))
		if o.SummaryBox {
			add(docxgen.Paragraph{Runs: []docxgen.Run{{TextBox: []docxgen.Paragraph{docxgen.P(r.Summary)}}}})
		} else {
			add(docxgen.P(r.Summary))
		}
	}
	add(docxgen.PS(docxgen.StyleHeading1, "Professional Experience"))
	for _, j := range r.Jobs {
		add(docxgen.Paragraph{Runs: []docxgen.Run{{Text: j.Title, Bold: true}, {Text: "\t" + j.Dates}}})
		org := j.Org
		if j.Place != "" {
			org += ", " + j.Place
		}
		add(docxgen.Paragraph{Runs: []docxgen.Run{{Text: org, Italic: true}}})
		for _, b := range j.Bullets {
			p := docxgen.PS(docxgen.StyleListParagraph, b)
			p.List = true
			add(p)
		}
	}
	add(docxgen.PS(docxgen.StyleHeading1, "Education"))
	for _, s := range r.Schools {
		add(docxgen.Paragraph{Runs: []docxgen.Run{{Text: s.Degree, Bold: true}, {Text: ", " + s.School + ", " + s.Year}}})
	}
	if o.Tables && (len(r.Certs) > 0 || len(r.Skills) > 0) {
		add(docxgen.PS(docxgen.StyleHeading1, "Certifications and Skills"))
		var rows [][][]docxgen.Paragraph
		for i := 0; i < max(len(r.Certs), len(r.Skills)); i++ {
			var cert, skill string
			if i < len(r.Certs) {
				cert = r.Certs[i]
			}
			if i < len(r.Skills) {
				skill = r.Skills[i]
			}
			rows = append(rows, [][]docxgen.Paragraph{{docxgen.P(cert)}, {docxgen.P(skill)}})
		}
		add(docxgen.Table{Rows: rows})
	} else {
		if len(r.Certs) > 0 {
			add(docxgen.PS(docxgen.StyleHeading1, "Certifications"))
			for _, c := range r.Certs {
				add(docxgen.P(c))
			}
		}
		if len(r.Skills) > 0 {
			add(docxgen.PS(docxgen.StyleHeading1, "Skills"))
			add(docxgen.P(strings.Join(r.Skills, ", ")))
		}
	}
	for _, s := range r.Extra {
		add(docxgen.PS(docxgen.StyleHeading1, s.Heading))
		for _, l := range s.Lines {
			add(docxgen.P(l))
		}
	}
	data, err := d.Bytes()
	if err != nil {
		panic("samples: writing DOCX: " + err.Error()) // a bug in the generator, not input
	}
	return data
}
