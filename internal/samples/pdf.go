package samples

import (
	"strings"

	"sift/internal/pdfgen"
)

// PDFOptions says how a resume is rendered to PDF.
type PDFOptions struct {
	TwoColumn    bool           // a dark sidebar (contact, skills, education) beside the main column
	Spacing      pdfgen.Spacing // how word gaps are written
	Ligatures    bool           // fi and fl as ligature glyphs
	LetterSpaced bool           // headings in capitals with wide letter spacing
	Serif        bool           // Times instead of Helvetica
	Hyphenate    bool           // break long words at line ends with a hyphen
	DatesLeft    bool           // dates in a narrow left column beside each entry (moderncv style)
	Producer     string         // Info /Producer
	Hidden       []HiddenRun    // text drawn so that a reader cannot see it
	Compress     bool           // Flate-compress content streams
	Pages        int            // minimum pages (repeats the experience section)
	ImageOnly    bool           // draw the page as a picture: no text layer at all
}

// HiddenRun is text placed where a reader of the page cannot see it.
type HiddenRun struct {
	How  string // "white", "invisible" (render mode 3), "tiny" (1 pt), "offpage"
	Text string
}

const (
	margin  = 54.0
	sidebar = 190.0
)

// pdfWriter lays text out top to bottom in one column of a page.
type pdfWriter struct {
	doc    *pdfgen.Doc
	page   *pdfgen.Page
	opt    PDFOptions
	x, w   float64 // the column
	y      float64 // the next baseline
	colour pdfgen.RGB
	pages  int
}

func (o PDFOptions) font(bold bool) string {
	switch {
	case o.Serif && bold:
		return "Times-Bold"
	case o.Serif:
		return "Times-Roman"
	case bold:
		return "Helvetica-Bold"
	}
	return "Helvetica"
}

func (pw *pdfWriter) style(size float64, bold bool) pdfgen.Style {
	return pdfgen.Style{Font: pw.opt.font(bold), Size: size, Spacing: pw.opt.Spacing, Ligatures: pw.opt.Ligatures, Color: pw.colour}
}

func (pw *pdfWriter) newPage() {
	pw.page = pw.doc.AddPage(pdfgen.LetterW, pdfgen.LetterH)
	pw.pages++
	pw.y = margin
}

func (pw *pdfWriter) need(h float64) {
	if pw.y+h > pdfgen.LetterH-margin {
		pw.newPage()
	}
}

// para writes text wrapped to the column, with an optional bullet and indent.
func (pw *pdfWriter) para(text string, st pdfgen.Style, bullet bool) {
	lead := st.Size * 1.3
	x, w := pw.x, pw.w
	if bullet {
		x, w = x+12, w-12
	}
	words := strings.Fields(text)
	first := true
	for len(words) > 0 {
		pw.need(lead)
		line := ""
		n := 0
		for n < len(words) {
			try := strings.TrimSpace(line + " " + words[n])
			if pdfgen.TextWidth(st, try) > w && line != "" {
				break
			}
			line = try
			n++
		}
		if n < len(words) && pw.opt.Hyphenate && len([]rune(words[n])) >= 9 {
			// Break the next word: as much as fits, then a hyphen.
			word := []rune(words[n])
			for cut := len(word) - 3; cut >= 4; cut-- {
				try := strings.TrimSpace(line + " " + string(word[:cut]) + "-")
				if pdfgen.TextWidth(st, try) <= w {
					line = try
					words[n] = string(word[cut:])
					break
				}
			}
		}
		if bullet && first {
			b := st
			b.Spacing = pdfgen.SpaceGlyphs
			pw.page.Text(pw.x+2, pw.y, b, "•")
		}
		pw.page.Text(x, pw.y, st, line)
		pw.y += lead
		words = words[n:]
		first = false
	}
}

func (pw *pdfWriter) heading(text string) {
	pw.y += 8
	pw.need(30)
	st := pw.style(12.5, true)
	if pw.colour == pdfgen.Black {
		st.Color = pdfgen.Navy
	}
	if pw.opt.LetterSpaced {
		text = strings.ToUpper(text)
		st.CharSpacing = 3
	}
	pw.page.Text(pw.x, pw.y, st, text)
	pw.y += 6
	if !pw.opt.ImageOnly && pw.colour == pdfgen.Black {
		pw.page.Line(pw.x, pw.y, pw.x+pw.w, pw.y, 0.5)
	}
	pw.y += 12
}

// entry writes a bold first line with dates at its right, or in a left
// column when DatesLeft is set.
func (pw *pdfWriter) entry(title, dates, sub string) {
	pw.need(40)
	bold := pw.style(11, true)
	plain := pw.style(10, false)
	if pw.opt.DatesLeft {
		pw.page.Text(pw.x, pw.y, plain, dates)
		saveX, saveW := pw.x, pw.w
		pw.x, pw.w = pw.x+90, pw.w-90
		pw.page.Text(pw.x, pw.y, bold, title)
		pw.y += 14
		if sub != "" {
			pw.page.Text(pw.x, pw.y, plain, sub)
			pw.y += 14
		}
		pw.x, pw.w = saveX, saveW
		return
	}
	pw.page.Text(pw.x, pw.y, bold, title)
	if dates != "" {
		pw.page.Text(pw.x+pw.w-pdfgen.TextWidth(plain, dates), pw.y, plain, dates)
	}
	pw.y += 14
	if sub != "" {
		pw.page.Text(pw.x, pw.y, plain, sub)
		pw.y += 14
	}
}

func (pw *pdfWriter) jobs(r Resume) {
	pw.heading("Experience")
	for _, j := range r.Jobs {
		sub := j.Org
		if j.Place != "" {
			sub += ", " + j.Place
		}
		pw.entry(j.Title, j.Dates, sub)
		indent := pw.x
		if pw.opt.DatesLeft {
			pw.x, pw.w = pw.x+90, pw.w-90
		}
		for _, b := range j.Bullets {
			pw.para(b, pw.style(10, false), true)
		}
		if pw.opt.DatesLeft {
			pw.x, pw.w = indent, pw.w+90
		}
		pw.y += 4
	}
}

func (pw *pdfWriter) education(r Resume) {
	pw.heading("Education")
	for _, s := range r.Schools {
		if pw.x >= sidebar || !pw.opt.TwoColumn {
			pw.entry(s.Degree, s.Year, s.School)
			continue
		}
		pw.para(s.Degree, pw.style(10, true), false)
		pw.para(s.School+", "+s.Year, pw.style(9.5, false), false)
		pw.y += 3
	}
}

func (pw *pdfWriter) list(heading string, items []string, inline bool) {
	if len(items) == 0 {
		return
	}
	pw.heading(heading)
	if inline {
		pw.para(strings.Join(items, ", "), pw.style(10, false), false)
		return
	}
	for _, it := range items {
		pw.para(it, pw.style(10, false), false)
	}
}

// RenderPDF draws r as a PDF file.
func RenderPDF(r Resume, o PDFOptions) []byte {
	doc := pdfgen.New()
	doc.Producer = o.Producer
	doc.Compress = o.Compress
	pw := &pdfWriter{doc: doc, opt: o, colour: pdfgen.Black}
	pw.newPage()
	if o.ImageOnly {
		for i := 0; i < max(o.Pages, 1); i++ {
			if i > 0 {
				pw.newPage()
			}
			pw.page.Image(margin, margin, pdfgen.LetterW-2*margin, pdfgen.LetterH-2*margin)
		}
		return doc.Bytes()
	}
	first := pw.page
	pw.x, pw.w = margin, pdfgen.LetterW-2*margin
	if o.TwoColumn {
		pw.x, pw.w = sidebar+24, pdfgen.LetterW-sidebar-24-margin+14
	}
	pw.page.Text(pw.x, pw.y+6, pw.style(22, true), r.Name)
	pw.y += 26
	pw.page.Text(pw.x, pw.y, pw.style(12, false), r.Headline)
	pw.y += 18
	if !o.TwoColumn {
		pw.para(strings.Join(r.Contact, " | "), pw.style(9.5, false), false)
	}
	for _, h := range o.Hidden {
		pw.hidden(h)
	}
	if r.Summary != "" {
		pw.heading("Summary")
		pw.para(r.Summary, pw.style(10, false), false)
	}
	pw.jobs(r)
	for pw.pages < o.Pages {
		pw.jobs(r)
	}
	if !o.TwoColumn {
		pw.education(r)
		pw.list("Certifications", r.Certs, false)
		pw.list("Skills", r.Skills, true)
	}
	for _, s := range r.Extra {
		pw.list(s.Heading, s.Lines, false)
	}
	if o.TwoColumn {
		// The sidebar: white text on a dark panel, drawn on the first page.
		pw.page = first
		pw.page.Rect(0, 0, sidebar, pdfgen.LetterH, pdfgen.Navy)
		pw.colour = pdfgen.White
		pw.x, pw.w, pw.y = 18, sidebar-30, margin+6
		pw.heading("Contact")
		for _, c := range r.Contact {
			pw.para(c, pw.style(9, false), false)
		}
		pw.education(r)
		pw.list("Certifications", r.Certs, false)
		pw.list("Skills", r.Skills, false)
	}
	return doc.Bytes()
}

// hidden draws a run a reader cannot see, in the way h.How says.
func (pw *pdfWriter) hidden(h HiddenRun) {
	st := pdfgen.Style{Font: pw.opt.font(false), Size: 9}
	x, y := pw.x, pw.y
	switch h.How {
	case "white":
		st.Color = pdfgen.White
	case "invisible":
		st.RenderMode = 3
	case "tiny":
		st.Size = 1
	case "offpage":
		x = -2000
	}
	// Long stuffing runs are written as lines the width of the column, so
	// they sit in the page's area like the real thing.
	words := strings.Fields(h.Text)
	line := ""
	for _, w := range words {
		try := strings.TrimSpace(line + " " + w)
		if pdfgen.TextWidth(st, try) > pw.w && line != "" {
			pw.page.Text(x, y, st, line)
			y += st.Size * 1.2
			line = w
			continue
		}
		line = try
	}
	if line != "" {
		pw.page.Text(x, y, st, line)
	}
}
