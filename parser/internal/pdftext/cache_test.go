package pdftext

import (
	"fmt"
	"strings"
	"testing"
)

// Two Helvetica fonts that differ only in the width of "a": drawn at 72
// and "b" at 80, a narrow a leaves a gap (two words), a wide one none.
const (
	narrowA = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 97 /LastChar 98 /Widths [500 500] >>"
	wideA   = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 97 /LastChar 98 /Widths [800 500] >>"
)

// TestFontCacheTellsFontsApart checks the per-document font cache against
// fonts that share an object number: inline fonts carry the number of the
// object they are written in, so they must not be told apart by it.
func TestFontCacheTellsFontsApart(t *testing.T) {
	draw := func(sel string, y int) string {
		return fmt.Sprintf("q %s BT 72 %d Td (a) Tj ET BT 80 %d Td (b) Tj ET Q\n", sel, y, y)
	}
	tf := draw("BT /N 10 Tf ET", 700) + draw("BT /W 10 Tf ET", 650)
	tests := []struct {
		name    string
		extra   []string // objects from 3 on
		res     string
		content string
	}{
		{"inline fonts in the page's /Font", nil, "/Font << /N " + narrowA + " /W " + wideA + " >>", tf},
		{"inline fonts in an indirect /Font", []string{"<< /N " + narrowA + " /W " + wideA + " >>"}, "/Font 3 0 R", tf},
		{"indirect fonts", []string{narrowA, wideA}, "/Font << /N 3 0 R /W 4 0 R >>", tf},
		{"inline fonts in ExtGState arrays", nil,
			"/ExtGState << /N << /Font [" + narrowA + " 10] >> /W << /Font [" + wideA + " 10] >> >>",
			draw("/N gs", 700) + draw("/W gs", 650)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, order := range []bool{false, true} {
				content := tc.content
				want := "a b\nab"
				if order {
					// The wide font first, so neither order hides a mix-up.
					lines := strings.SplitAfter(strings.TrimSuffix(content, "\n"), "\n")
					content = strings.Replace(lines[1], "650", "700", 1) + "\n" + strings.Replace(lines[0], "700", "650", 1)
					want = "ab\na b"
				}
				b := &testPDF{version: "1.4"}
				b.add("<< /Type /Catalog /Pages 2 0 R >>")
				b.add("")
				for _, o := range tc.extra {
					b.add(o)
				}
				c := b.stream("", []byte(content), false)
				b.pages = append(b.pages, b.add(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << %s >> /Contents %d 0 R >>", tc.res, c)))
				if got := joined(extract(t, b.bytes())); got != want {
					t.Errorf("wide first %v: got %q; want %q", order, got, want)
				}
			}
		})
	}
}

// TestOwnObject pins down what the font cache relies on in the library: an
// indirect font has its own object number, an inline one its container's.
func TestOwnObject(t *testing.T) {
	b := &testPDF{version: "1.4"}
	b.add("<< /Type /Catalog /Pages 2 0 R >>")
	b.add("")
	b.add(narrowA)
	b.pageWith("", "")
	b.objs[len(b.objs)-1] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /I 3 0 R /D " + wideA + " >> >> >>"
	r, err := openReader(b.bytes())
	if err != nil {
		t.Fatal(err)
	}
	fonts := r.Page(1).V.Key("Resources").Key("Font")
	id, ok := ownObject(fonts.Key("I"), fonts)
	if want := uint64(3) << 16; !ok || id != want {
		t.Errorf("indirect font: got %#x, %v; want %#x, true", id, ok, want)
	}
	if id, ok := ownObject(fonts.Key("D"), fonts); ok {
		t.Errorf("inline font: got %#x, true; want false", id)
	}
}

// TestGlyphBufferAcrossPages checks that a page drawing into the glyph
// slice the page before used reads only its own glyphs.
func TestGlyphBufferAcrossPages(t *testing.T) {
	long := strings.Repeat("Incident response lead for a regional bank ", 40)
	pages := []string{long, "Short", long[:200], "", "Last page"}
	b := newTestPDF()
	for _, s := range pages {
		var content strings.Builder
		for i := 0; len(s) > 0; i++ {
			n := min(len(s), 80)
			content.WriteString(text("F1", 10, 72, float64(700-14*i), s[:n]))
			s = s[n:]
		}
		b.page(content.String(), "")
	}
	doc := extract(t, b.bytes())
	got := make([]string, len(pages))
	for _, l := range doc.Lines {
		got[l.Page-1] += l.Text
	}
	for i, s := range pages {
		if want := strings.ReplaceAll(s, " ", ""); strings.ReplaceAll(got[i], " ", "") != want {
			t.Errorf("page %d: got %q; want %q", i+1, got[i], s)
		}
	}
}
