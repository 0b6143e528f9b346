// Package pdfgen writes small PDF files for sift's synthetic test resumes.
//
// It controls what real producers differ on, so the parser can be tested
// against each: space glyphs or word positioning (as LaTeX and Typst do),
// ligature glyphs, letter spacing, colour, render mode, and text placed
// outside the page. It uses the standard 14 fonts with their widths listed,
// WinAnsi encoding, and writes the same bytes for the same calls.
package pdfgen

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"sort"
	"strings"

	"sift/internal/afm"
)

// Page sizes in points.
const (
	LetterW, LetterH = 612.0, 792.0
	A4W, A4H         = 595.0, 842.0
)

// RGB is a colour with components in [0, 1].
type RGB struct{ R, G, B float64 }

// Common colours.
var (
	Black = RGB{0, 0, 0}
	White = RGB{1, 1, 1}
	Navy  = RGB{0.12, 0.2, 0.35}
	Grey  = RGB{0.4, 0.4, 0.4}
)

// Spacing says how the gaps between words are written.
type Spacing int

const (
	// SpaceGlyphs writes a space character between words, as word
	// processors do.
	SpaceGlyphs Spacing = iota
	// TJGaps writes each line as one TJ array in which the gap between
	// words is a negative displacement and no space glyph is drawn, as
	// pdfLaTeX does.
	TJGaps
	// Positioned places every word with its own text matrix, as Typst and
	// some HTML printers do.
	Positioned
)

// Style is how a run of text is drawn.
type Style struct {
	Font        string  // a standard 14 font: Helvetica (default), Helvetica-Bold, Times-Roman, Times-Bold, Courier ...
	Size        float64 // points; default 10
	Color       RGB     // fill colour; the zero value is black
	RenderMode  int     // text render mode (Tr); 3 is invisible
	CharSpacing float64 // extra space after every glyph (Tc), in points
	Spacing     Spacing // how word gaps are written
	Ligatures   bool    // write fi and fl as single ligature glyphs
}

func (st Style) font() string {
	if st.Font == "" {
		return "Helvetica"
	}
	return st.Font
}

func (st Style) size() float64 {
	if st.Size == 0 {
		return 10
	}
	return st.Size
}

// A Doc is a PDF being written.
type Doc struct {
	Producer string // written to the Info dictionary when set
	Title    string // written to the Info dictionary when set
	Compress bool   // Flate-compress content streams
	pages    []*Page
	fonts    map[string]int // base font name -> resource number
}

// New returns an empty document.
func New() *Doc { return &Doc{fonts: map[string]int{}} }

// A Page is one page. Coordinates given to its methods are in points from
// the page's top-left corner, y growing downwards; y in Text is the
// baseline.
type Page struct {
	doc     *Doc
	W, H    float64
	content bytes.Buffer
	images  int
}

// AddPage appends a page of the given size in points.
func (d *Doc) AddPage(w, h float64) *Page {
	p := &Page{doc: d, W: w, H: h}
	d.pages = append(d.pages, p)
	return p
}

func (d *Doc) fontRes(name string) string {
	n, ok := d.fonts[name]
	if !ok {
		n = len(d.fonts) + 1
		d.fonts[name] = n
	}
	return fmt.Sprintf("F%d", n)
}

// Ligature glyphs live at codes 1 and 2 through the font's Differences.
const codeFI, codeFL = 1, 2

// encode maps text to WinAnsi codes, with ligature codes when asked.
func encode(s string, ligatures bool) []byte {
	if ligatures {
		s = strings.NewReplacer("fi", "\uFB01", "fl", "\uFB02").Replace(s)
	}
	var b []byte
	for _, r := range s {
		switch {
		case r == '\uFB01':
			b = append(b, codeFI)
		case r == '\uFB02':
			b = append(b, codeFL)
		case r >= 32 && r <= 126, r >= 0xA0 && r <= 0xFF:
			b = append(b, byte(r))
		default:
			if c, ok := winAnsiHigh[r]; ok {
				b = append(b, c)
			} else {
				b = append(b, '?')
			}
		}
	}
	return b
}

var winAnsiHigh = map[rune]byte{
	'€': 0x80, '‚': 0x82, '„': 0x84, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94,
	'•': 0x95, '–': 0x96, '—': 0x97, '™': 0x99,
}

var winAnsiRune = func() map[byte]rune {
	m := map[byte]rune{codeFI: '\uFB01', codeFL: '\uFB02'}
	for r, c := range winAnsiHigh {
		m[c] = r
	}
	return m
}()

// codeWidth is the width of a WinAnsi code in font, in 1/1000 em.
func codeWidth(font string, c byte) float64 {
	r := rune(c)
	if m, ok := winAnsiRune[c]; ok {
		r = m
	}
	if w, ok := afm.Width(font, r); ok {
		return w
	}
	if w, ok := afm.Width(font, 'n'); ok && r >= 0xA0 {
		return w // accented letters: close enough to a lower-case letter
	}
	return 500
}

// TextWidth returns the advance width of s drawn in st, in points.
func TextWidth(st Style, s string) float64 {
	var w float64
	for _, c := range encode(s, st.Ligatures) {
		w += codeWidth(st.font(), c)/1000*st.size() + st.CharSpacing
	}
	return w
}

func pdfString(b []byte) string {
	var sb strings.Builder
	sb.WriteByte('(')
	for _, c := range b {
		switch c {
		case '(', ')', '\\':
			sb.WriteByte('\\')
			sb.WriteByte(c)
		default:
			if c < 32 || c > 126 {
				fmt.Fprintf(&sb, "\\%03o", c)
			} else {
				sb.WriteByte(c)
			}
		}
	}
	sb.WriteByte(')')
	return sb.String()
}

func num(f float64) string {
	s := fmt.Sprintf("%.3f", f)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" || s == "" {
		return "0"
	}
	return s
}

// Text draws s with its baseline at (x, y) and returns its advance width.
func (p *Page) Text(x, y float64, st Style, s string) float64 {
	font, size := st.font(), st.size()
	res := p.doc.fontRes(font)
	c := &p.content
	// Text state (Tc, Tr, colour) outlives BT/ET; q/Q keeps it to this run.
	fmt.Fprintf(c, "q BT\n/%s %s Tf\n", res, num(size))
	if st.Color != Black {
		fmt.Fprintf(c, "%s %s %s rg\n", num(st.Color.R), num(st.Color.G), num(st.Color.B))
	}
	if st.RenderMode != 0 {
		fmt.Fprintf(c, "%d Tr\n", st.RenderMode)
	}
	if st.CharSpacing != 0 {
		fmt.Fprintf(c, "%s Tc\n", num(st.CharSpacing))
	}
	base := p.H - y
	words := strings.Split(s, " ")
	space := codeWidth(font, ' ')
	switch st.Spacing {
	case SpaceGlyphs:
		fmt.Fprintf(c, "1 0 0 1 %s %s Tm\n%s Tj\n", num(x), num(base), pdfString(encode(s, st.Ligatures)))
	case TJGaps:
		fmt.Fprintf(c, "1 0 0 1 %s %s Tm\n[", num(x), num(base))
		for i, w := range words {
			if i > 0 {
				fmt.Fprintf(c, " %s ", num(-space))
			}
			c.WriteString(pdfString(encode(w, st.Ligatures)))
		}
		c.WriteString("] TJ\n")
	case Positioned:
		wx := x
		for _, w := range words {
			if w != "" {
				fmt.Fprintf(c, "1 0 0 1 %s %s Tm\n%s Tj\n", num(wx), num(base), pdfString(encode(w, st.Ligatures)))
			}
			wx += TextWidth(st, w) + space/1000*size + st.CharSpacing
		}
	}
	c.WriteString("ET Q\n")
	return TextWidth(st, s)
}

// Rect fills a rectangle whose top-left corner is (x, y).
func (p *Page) Rect(x, y, w, h float64, fill RGB) {
	fmt.Fprintf(&p.content, "q %s %s %s rg\n%s %s %s %s re f Q\n",
		num(fill.R), num(fill.G), num(fill.B), num(x), num(p.H-y-h), num(w), num(h))
}

// Line strokes a line from (x1, y1) to (x2, y2).
func (p *Page) Line(x1, y1, x2, y2, width float64) {
	fmt.Fprintf(&p.content, "q %s w %s %s m %s %s l S Q\n", num(width), num(x1), num(p.H-y1), num(x2), num(p.H-y2))
}

// Image draws a grey image (a stand-in for a scan or a photo) in the box
// whose top-left corner is (x, y).
func (p *Page) Image(x, y, w, h float64) {
	p.images++
	fmt.Fprintf(&p.content, "q %s 0 0 %s %s %s cm /Im%d Do Q\n", num(w), num(h), num(x), num(p.H-y-h), p.images)
}

// Raw appends content-stream operators as they are, in PDF coordinates
// (origin bottom-left).
func (p *Page) Raw(ops string) {
	p.content.WriteString(ops)
	if !strings.HasSuffix(ops, "\n") {
		p.content.WriteByte('\n')
	}
}

// Font returns the resource name (such as "F1") of a standard font, for use
// in Raw operators.
func (p *Page) Font(name string) string { return p.doc.fontRes(name) }

// Bytes writes the document.
func (d *Doc) Bytes() []byte {
	var out bytes.Buffer
	var offsets []int
	obj := func(body string) int {
		offsets = append(offsets, out.Len())
		n := len(offsets)
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", n, body)
		return n
	}
	stream := func(dict string, data []byte) int {
		offsets = append(offsets, out.Len())
		n := len(offsets)
		fmt.Fprintf(&out, "%d 0 obj\n<< %s /Length %d >>\nstream\n", n, dict, len(data))
		out.Write(data)
		out.WriteString("\nendstream\nendobj\n")
		return n
	}
	out.WriteString("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n")

	// Objects 1 and 2 are the catalog and the page tree; pages follow.
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	offsets = append(offsets, 0) // page tree, written last
	fontNames := make([]string, 0, len(d.fonts))
	for name := range d.fonts {
		fontNames = append(fontNames, name)
	}
	sort.Slice(fontNames, func(i, j int) bool { return d.fonts[fontNames[i]] < d.fonts[fontNames[j]] })
	var fontRefs strings.Builder
	for _, name := range fontNames {
		var widths strings.Builder
		for c := 1; c <= 255; c++ {
			if c > 1 {
				widths.WriteByte(' ')
			}
			widths.WriteString(num(codeWidth(name, byte(c))))
		}
		enc := "/Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [1 /fi /fl] >>"
		n := obj(fmt.Sprintf("<< /Type /Font /Subtype /Type1 /BaseFont /%s %s /FirstChar 1 /LastChar 255 /Widths [%s] >>", name, enc, widths.String()))
		fmt.Fprintf(&fontRefs, "/F%d %d 0 R ", d.fonts[name], n)
	}
	image := 0
	for _, p := range d.pages {
		if p.images > 0 {
			image = stream("/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8", []byte{0x40, 0x90, 0x90, 0x40})
			break
		}
	}
	var kids []string
	for _, p := range d.pages {
		data, filter := p.content.Bytes(), ""
		if d.Compress {
			var z bytes.Buffer
			zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
			zw.Write(data)
			zw.Close()
			data, filter = z.Bytes(), "/Filter /FlateDecode"
		}
		content := stream(filter, data)
		var xobj strings.Builder
		for i := 1; i <= p.images; i++ {
			fmt.Fprintf(&xobj, "/Im%d %d 0 R ", i, image)
		}
		res := fmt.Sprintf("<< /Font << %s>> /XObject << %s>> /ProcSet [/PDF /Text /ImageB] >>", fontRefs.String(), xobj.String())
		n := obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] /Resources %s /Contents %d 0 R >>", num(p.W), num(p.H), res, content))
		kids = append(kids, fmt.Sprintf("%d 0 R", n))
	}
	offsets[1] = out.Len()
	fmt.Fprintf(&out, "2 0 obj\n<< /Type /Pages /Kids [%s] /Count %d >>\nendobj\n", strings.Join(kids, " "), len(kids))
	info := ""
	if d.Producer != "" || d.Title != "" {
		var b strings.Builder
		b.WriteString("<< ")
		if d.Producer != "" {
			fmt.Fprintf(&b, "/Producer %s ", pdfString([]byte(d.Producer)))
		}
		if d.Title != "" {
			fmt.Fprintf(&b, "/Title %s ", pdfString([]byte(d.Title)))
		}
		b.WriteString(">>")
		info = fmt.Sprintf(" /Info %d 0 R", obj(b.String()))
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, off := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, info, xref)
	return out.Bytes()
}
