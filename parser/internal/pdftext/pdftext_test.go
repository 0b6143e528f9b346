package pdftext

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"sift/internal/pdfgen"
	"sift/parser/internal/layout"
)

func extract(t *testing.T, data []byte) *layout.Document {
	t.Helper()
	doc, err := Extract(context.Background(), data, Options{MaxPages: 20, MaxDecompressed: 10 << 20})
	if err != nil {
		t.Fatalf("Extract: got error %v; want nil", err)
	}
	return doc
}

func texts(doc *layout.Document) []string {
	var out []string
	for _, l := range doc.Lines {
		out = append(out, l.Text)
	}
	return out
}

func joined(doc *layout.Document) string { return strings.Join(texts(doc), "\n") }

func TestWords(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    string
	}{
		{"space glyphs", text("F1", 10, 72, 700, "Security Manager at Acme"), "Security Manager at Acme"},
		{"TJ word gaps, no space glyphs", "BT /F1 10 Tf 72 700 Td [(Security)-333(Manager)-333(at)-333(Acme)] TJ ET", "Security Manager at Acme"},
		{"TJ kerning stays in the word", "BT /F1 10 Tf 72 700 Td [(W)80(orld)-20(wide)] TJ ET", "Worldwide"},
		{"words placed one by one", "BT /F1 10 Tf 72 700 Td (Incident) Tj 42 0 Td (Response) Tj ET", "Incident Response"},
		{"word spacing Tw", "BT /F1 10 Tf 5 Tw 72 700 Td (risk assessment) Tj ET", "risk assessment"},
		{"ligature glyph expanded", "BT /F3 10 Tf 72 700 Td (of\x01ce \x02ow) Tj ET", "office flow"},
		{"drawn soft hyphen inside a line is a hyphen", "BT /F3 10 Tf 72 700 Td (fast\x03growing) Tj ET", "fast-growing"},
		{"zero-width soft hyphen removed", "BT /F3 10 Tf 72 700 Td (cyber) Tj /F4 10 Tf (\x03) Tj /F3 10 Tf (security) Tj ET", "cybersecurity"},
		{"soft hyphen at a line end joins", "BT /F3 10 Tf 72 700 Td (Cyber\x03) Tj 0 -12 Td (Security team) Tj ET", "CyberSecurity\nteam"},
		{"letter-spaced heading", "BT /F2 12 Tf 6 Tc 72 700 Td (EXPERIENCE) Tj ET", "EXPERIENCE"},
		{"letter-spaced words", "BT /F2 12 Tf 6 Tc 72 700 Td (WORK EXPERIENCE) Tj ET", "WORK EXPERIENCE"},
		{"typed letter spacing", text("F2", 12, 72, 700, "E X P E R I E N C E"), "EXPERIENCE"},
		{"superscript joins its line", "BT /F1 10 Tf 72 700 Td (Ranked 1) Tj ET BT /F1 6 Tf 115.6 704 Td (st) Tj ET BT /F1 10 Tf 124 700 Td ( of 40) Tj ET", "Ranked 1st of 40"},
		{"overprinted bold drawn once", text("F1", 10, 72, 700, "CISSP") + text("F1", 10, 72.3, 700, "CISSP"), "CISSP"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := newTestPDF()
			b.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /BaseEncoding /WinAnsiEncoding /Differences [1 /fi /fl /sfthyphen] >> >>")
			b.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Differences [3 /sfthyphen] >> /FirstChar 3 /LastChar 3 /Widths [0] >>")
			b.page(tc.content, "/Font << /F1 3 0 R /F2 4 0 R /F3 5 0 R /F4 6 0 R >>")
			// The page's /Font above replaces the default one.
			doc := extract(t, b.bytes())
			if got := joined(doc); got != tc.want {
				t.Errorf("got %q; want %q", got, tc.want)
			}
		})
	}
}

func TestPdfgenSpacing(t *testing.T) {
	for _, sp := range []pdfgen.Spacing{pdfgen.SpaceGlyphs, pdfgen.TJGaps, pdfgen.Positioned} {
		d := pdfgen.New()
		d.Compress = true
		p := d.AddPage(pdfgen.LetterW, pdfgen.LetterH)
		p.Text(72, 100, pdfgen.Style{Size: 11, Spacing: sp, Ligatures: true}, "Chief Information Security Officer, financial firm")
		p.Text(72, 130, pdfgen.Style{Size: 14, Font: "Helvetica-Bold", CharSpacing: 3}, "WORK EXPERIENCE")
		doc := extract(t, d.Bytes())
		want := "Chief Information Security Officer, financial firm\nWORK EXPERIENCE"
		if got := joined(doc); got != want {
			t.Errorf("spacing %d: got %q; want %q", sp, got, want)
		}
		if len(doc.Lines) == 2 && (!doc.Lines[1].Bold || doc.Lines[1].Size != 14) {
			t.Errorf("spacing %d: got heading bold %v size %v; want bold 14", sp, doc.Lines[1].Bold, doc.Lines[1].Size)
		}
	}
}

func TestLooks(t *testing.T) {
	content := "BT /F2 1 Tf 16 0 0 16 72 700 Tm (Experience) Tj ET\n" +
		text("F1", 10, 72, 680, "Led the security team") +
		text("F1", 10, 72, 668, "of twelve analysts.") +
		text("F1", 10, 72, 640, "Next paragraph.")
	doc := extract(t, onePage(content))
	if len(doc.Lines) != 4 {
		t.Fatalf("got %d lines %q; want 4", len(doc.Lines), texts(doc))
	}
	h := doc.Lines[0]
	if !h.Bold || h.Size != 16 || h.X != 72 || h.Y != 92 || !h.Block {
		t.Errorf("got heading %+v; want bold, size 16, X 72, Y 92, block", h)
	}
	if l := doc.Lines[2]; l.Block || l.Gap != 2 {
		t.Errorf("got continuation line %+v; want no block, gap 2", l)
	}
	if l := doc.Lines[3]; !l.Block || l.Gap <= 10 {
		t.Errorf("got paragraph line %+v; want block and gap > 10", l)
	}
}

func TestBulletsAndIcons(t *testing.T) {
	b := newTestPDF()
	b.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /BaseEncoding /WinAnsiEncoding /Differences [1 /uniF0B7 /uniF095] >> >>")
	content := text("F1", 10, 72, 700, "\x95 Managed incident response") +
		text("F3", 10, 72, 680, "\x01") + text("F1", 10, 84, 680, "Built the SOC") +
		text("F3", 10, 72, 660, "\x02") + text("F1", 10, 84, 660, "555 0100") +
		text("F1", 10, 72, 640, "- Wrote policies") +
		text("F1", 10, 72, 620, "2015 - 2018")
	b.page(content, "/Font << /F1 3 0 R /F2 4 0 R /F3 5 0 R >>")
	doc := extract(t, b.bytes())
	want := []struct {
		text string
		list bool
	}{
		{"Managed incident response", true},
		{"Built the SOC", true},
		{"555 0100", false},
		{"Wrote policies", true},
		{"2015 - 2018", false},
	}
	if len(doc.Lines) != len(want) {
		t.Fatalf("got %q; want %d lines", texts(doc), len(want))
	}
	for i, w := range want {
		if l := doc.Lines[i]; l.Text != w.text || l.List != w.list {
			t.Errorf("line %d: got %q list %v; want %q list %v", i, l.Text, l.List, w.text, w.list)
		}
	}
}

func TestHyphenation(t *testing.T) {
	tests := []struct {
		name, a, b string
		want       string
	}{
		{"joined", "Led vulnerability manage-", "ment for all agencies", "Led vulnerability management\nfor all agencies"},
		{"date range kept", "Security Manager 2015 -", "2018 Acme Corp", "Security Manager 2015 -\n2018 Acme Corp"},
		{"capital kept", "Worked with Coca-", "Cola on audits", "Worked with Coca-\nCola on audits"},
		{"e-mail kept", "Contact by e-", "mail only", "Contact by e-\nmail only"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := extract(t, onePage(text("F1", 10, 72, 700, tc.a)+text("F1", 10, 72, 688, tc.b)))
			if got := joined(doc); got != tc.want {
				t.Errorf("got %q; want %q", got, tc.want)
			}
		})
	}
}

func TestColumns(t *testing.T) {
	var c strings.Builder
	c.WriteString(text("F2", 18, 72, 740, "Jordan Example"))
	// Left column: skills on a 14-point grid; right column: experience on
	// a 12-point grid starting lower. Baselines are independent.
	for i, s := range []string{"SKILLS", "Risk management", "Incident response", "NIST CSF", "ISO 27001", "Team leadership", "Budgeting"} {
		c.WriteString(text("F1", 10, 72, 700-float64(i)*14, s))
	}
	for i, s := range []string{"EXPERIENCE", "Director of Security, Acme", "Built the security program", "Led a team of twelve", "Security Manager, Beta", "Ran audits and training", "Owned the budget", "Reported to the board"} {
		c.WriteString(text("F1", 10, 260, 695-float64(i)*12.5, s))
	}
	doc := extract(t, onePage(c.String()))
	got := texts(doc)
	want := []string{"Jordan Example", "SKILLS", "Risk management", "Incident response", "NIST CSF", "ISO 27001", "Team leadership", "Budgeting",
		"EXPERIENCE", "Director of Security, Acme", "Built the security program", "Led a team of twelve", "Security Manager, Beta", "Ran audits and training", "Owned the budget", "Reported to the board"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q; want %q", got, want)
	}
	if doc.Lines[0].Column != 0 || doc.Lines[1].Column != 1 || doc.Lines[8].Column != 2 {
		t.Errorf("got columns %d %d %d; want 0 1 2", doc.Lines[0].Column, doc.Lines[1].Column, doc.Lines[8].Column)
	}
}

func TestDateColumnReadRowWise(t *testing.T) {
	var c strings.Builder
	y := 700.0
	for _, e := range []struct {
		date  string
		lines []string
	}{
		{"2019-2023", []string{"Director of Security, Acme", "Built the program", "Led twelve analysts"}},
		{"2015-2019", []string{"Security Manager, Beta", "Ran the SOC"}},
		{"2012-2015", []string{"Analyst, Gamma", "Wrote policies", "Trained staff"}},
	} {
		c.WriteString(text("F1", 10, 72, y, e.date))
		for _, l := range e.lines {
			c.WriteString(text("F1", 10, 160, y, l))
			y -= 12
		}
		y -= 8
	}
	doc := extract(t, onePage(c.String()))
	got := texts(doc)
	want := []string{"2019-2023 Director of Security, Acme", "Built the program", "Led twelve analysts",
		"2015-2019 Security Manager, Beta", "Ran the SOC", "2012-2015 Analyst, Gamma", "Wrote policies", "Trained staff"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q; want %q", got, want)
	}
}

func TestHidden(t *testing.T) {
	tests := []struct {
		name    string
		content string
		reason  string // "" when the text is visible
	}{
		{"visible", text("F1", 10, 72, 700, "CISSP HIPAA"), ""},
		{"white text", "1 1 1 rg " + text("F1", 10, 72, 700, "CISSP HIPAA"), layout.ReasonWhiteText},
		{"white on a dark sidebar is visible", "0.1 0.1 0.3 rg 0 0 200 792 re f 1 g " + text("F1", 10, 20, 700, "CISSP HIPAA"), ""},
		{"white on a white box", "1 1 1 rg 0 600 300 192 re f 1 g " + text("F1", 10, 20, 700, "CISSP HIPAA"), layout.ReasonWhiteText},
		{"background colour", "0.2 0.4 0.6 rg 50 650 300 100 re f " + text("F1", 10, 72, 700, "CISSP HIPAA"), layout.ReasonBackgroundColor},
		{"cmyk white", "0 0 0 0 k " + text("F1", 10, 72, 700, "CISSP HIPAA"), layout.ReasonWhiteText},
		{"render mode 3", "3 Tr " + text("F1", 10, 72, 700, "CISSP HIPAA"), layout.ReasonRenderMode},
		{"render mode 3 over a scan is the text layer", "q 612 0 0 792 0 0 cm /Im1 Do Q 3 Tr " + text("F1", 10, 72, 700, "CISSP HIPAA"), ""},
		{"fill alpha 0", "/GS0 gs " + text("F1", 10, 72, 700, "CISSP HIPAA"), layout.ReasonRenderMode},
		{"outside the page", text("F1", 10, -400, 700, "CISSP HIPAA"), layout.ReasonOutsidePage},
		{"below the page", text("F1", 10, 72, -50, "CISSP HIPAA"), layout.ReasonOutsidePage},
		{"tiny font", text("F1", 1, 72, 700, "CISSP HIPAA"), layout.ReasonTinyFont},
		{"tiny through the matrix", "q 0.1 0 0 0.1 0 0 cm " + text("F1", 10, 720, 7000, "CISSP HIPAA") + "Q", layout.ReasonTinyFont},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := newTestPDF()
			img := b.stream("/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8", []byte{0x80}, false)
			gs := b.add("<< /Type /ExtGState /ca 0 >>")
			b.page(text("F1", 10, 72, 400, "Visible body text")+tc.content, fmt.Sprintf("/XObject << /Im1 %d 0 R >> /ExtGState << /GS0 %d 0 R >>", img, gs))
			doc := extract(t, b.bytes())
			inLines := strings.Contains(joined(doc), "CISSP HIPAA")
			if tc.reason == "" {
				if !inLines || len(doc.Hidden) != 0 {
					t.Errorf("got lines %q hidden %+v; want the text visible", texts(doc), doc.Hidden)
				}
				return
			}
			if inLines {
				t.Errorf("got %q in Lines; want it hidden", texts(doc))
			}
			want := []layout.Hidden{{Text: "CISSP HIPAA", Reason: tc.reason, Page: 1}}
			if fmt.Sprint(doc.Hidden) != fmt.Sprint(want) {
				t.Errorf("got hidden %+v; want %+v", doc.Hidden, want)
			}
		})
	}
}

func TestFormXObjects(t *testing.T) {
	t.Run("text in a form", func(t *testing.T) {
		b := newTestPDF()
		form := b.stream("/Type /XObject /Subtype /Form /BBox [0 0 500 100] /Matrix [1 0 0 1 72 600] /Resources << /Font << /F9 3 0 R >> >>",
			[]byte("BT /F9 10 Tf 0 10 Td (Text inside a form) Tj ET"), false)
		b.page(text("F1", 10, 72, 700, "Page text")+"/X1 Do", fmt.Sprintf("/XObject << /X1 %d 0 R >>", form))
		doc := extract(t, b.bytes())
		want := "Page text\nText inside a form"
		if got := joined(doc); got != want {
			t.Errorf("got %q; want %q", got, want)
		}
		if len(doc.Lines) == 2 && doc.Lines[1].Y != 182 {
			t.Errorf("got form text at Y %v; want 182", doc.Lines[1].Y)
		}
	})
	t.Run("cycle", func(t *testing.T) {
		b := newTestPDF()
		// Object 5 draws object 6, which draws 5 again.
		b.stream("/Type /XObject /Subtype /Form /BBox [0 0 500 100] /Resources << /Font << /F1 3 0 R >> /XObject << /Y 6 0 R >> >>",
			[]byte("BT /F1 10 Tf 72 700 Td (Drawn once) Tj ET /Y Do"), false)
		b.stream("/Type /XObject /Subtype /Form /BBox [0 0 500 100] /Resources << /XObject << /Z 5 0 R >> >>",
			[]byte("/Z Do"), false)
		b.page("/X Do", "/XObject << /X 5 0 R >>")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		doc, err := Extract(ctx, b.bytes(), Options{})
		if err != nil {
			t.Fatalf("got error %v; want nil", err)
		}
		if got := joined(doc); got != "Drawn once" {
			t.Errorf("got %q; want %q", got, "Drawn once")
		}
	})
}

func TestRecovery(t *testing.T) {
	base := func() *testPDF {
		b := newTestPDF()
		b.page(text("F1", 10, 72, 700, "Recovered resume text"), "")
		b.info = "<< /Producer (Test Writer 1.0) /Creator (Other) >>"
		return b
	}
	tests := []struct {
		name   string
		mutate func(b *testPDF)
	}{
		{"clean", func(b *testPDF) {}},
		{"junk before the header", func(b *testPDF) { b.prefix = "\xef\xbb\xbfgarbage from a mail gateway\r\n" }},
		{"broken cross-reference table", func(b *testPDF) { b.badXref = true }},
		{"no cross-reference table", func(b *testPDF) { b.noXref = true }},
		{"PDF 2.0 header", func(b *testPDF) { b.version = "2.0" }},
		{"odd header line", func(b *testPDF) { b.version = "1.4 made by hand" }},
		{"trailing junk", func(b *testPDF) { b.suffix = strings.Repeat("trailing junk ", 20) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := base()
			tc.mutate(b)
			doc := extract(t, b.bytes())
			if got := joined(doc); got != "Recovered resume text" {
				t.Errorf("got %q; want %q", got, "Recovered resume text")
			}
			if (doc.Producer != "Test Writer 1.0" && !b.noXref) || doc.Pages != 1 {
				t.Errorf("got producer %q pages %d; want %q 1", doc.Producer, doc.Pages, "Test Writer 1.0")
			}
		})
	}
}

func TestObjectStreams(t *testing.T) {
	// The font lives in a compressed object stream.
	b := newTestPDF()
	body := "<< /Type /Font /Subtype /Type1 /BaseFont /Times-Bold /Encoding /WinAnsiEncoding >>"
	hdr := "100 0 "
	data := hdr + body
	b.stream(fmt.Sprintf("/Type /ObjStm /N 1 /First %d", len(hdr)), []byte(data), true)
	b.page(text("F7", 12, 72, 700, "From an object stream"), "/Font << /F7 100 0 R >>")
	doc := extract(t, b.bytes())
	if got := joined(doc); got != "From an object stream" {
		t.Errorf("got %q; want %q", got, "From an object stream")
	}
	if len(doc.Lines) == 1 && !doc.Lines[0].Bold {
		t.Errorf("got bold false; want true (Times-Bold)")
	}
}

func TestRotatedPage(t *testing.T) {
	b := newTestPDF()
	c := b.stream("", []byte(text("F1", 10, 72, 500, "Rotated page text")), false)
	b.pageWith(fmt.Sprintf("/Contents %d 0 R /Rotate 90", c), "")
	doc := extract(t, b.bytes())
	if got := joined(doc); got != "Rotated page text" {
		t.Errorf("got %q; want %q", got, "Rotated page text")
	}
}

func TestNoText(t *testing.T) {
	b := newTestPDF()
	img := b.stream("/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8", []byte{0x80}, false)
	b.page("q 612 0 0 792 0 0 cm /Im1 Do Q", fmt.Sprintf("/XObject << /Im1 %d 0 R >>", img))
	b.page("q 612 0 0 792 0 0 cm /Im1 Do Q", fmt.Sprintf("/XObject << /Im1 %d 0 R >>", img))
	doc := extract(t, b.bytes())
	if len(doc.Lines) != 0 || doc.Pages != 2 || len(doc.Warnings) == 0 {
		t.Errorf("got %d lines, %d pages, warnings %q; want 0 lines, 2 pages, a warning", len(doc.Lines), doc.Pages, doc.Warnings)
	}
}

func TestEmptyPageWarning(t *testing.T) {
	b := newTestPDF()
	b.page(text("F1", 10, 72, 700, "First page"), "")
	b.page("", "")
	doc := extract(t, b.bytes())
	found := false
	for _, w := range doc.Warnings {
		if strings.Contains(w, "page 2") {
			found = true
		}
	}
	if !found {
		t.Errorf("got warnings %q; want one naming page 2", doc.Warnings)
	}
}

func TestErrors(t *testing.T) {
	threePages := newTestPDF()
	for i := 0; i < 3; i++ {
		threePages.page(text("F1", 10, 72, 700, "page"), "")
	}
	encrypted := newTestPDF()
	encrypted.page(text("F1", 10, 72, 700, "secret"), "")
	enc := encrypted.add("<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <" + strings.Repeat("ab", 32) + "> /U <" + strings.Repeat("cd", 32) + "> >>")
	encrypted.trailer = fmt.Sprintf("/Encrypt %d 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]", enc)
	bomb := newTestPDF()
	c := bomb.stream("", bytes.Repeat([]byte("0 0 m "), 200000), true)
	bomb.pageWith(fmt.Sprintf("/Contents %d 0 R", c), "")
	valid := onePage(text("F1", 10, 72, 700, "truncated"))

	tests := []struct {
		name string
		data []byte
		opts Options
		want error
	}{
		{"too many pages", threePages.bytes(), Options{MaxPages: 2}, layout.ErrTooLarge},
		{"encrypted", encrypted.bytes(), Options{}, layout.ErrEncrypted},
		{"decompression bomb", bomb.bytes(), Options{MaxDecompressed: 100_000}, layout.ErrTooLarge},
		{"garbage", []byte("this is not a PDF at all, just words"), Options{}, layout.ErrMalformed},
		{"empty", nil, Options{}, layout.ErrMalformed},
		{"header only", []byte("%PDF-1.7\n"), Options{}, layout.ErrMalformed},
		{"truncated", valid[:len(valid)/3], Options{}, layout.ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Extract(context.Background(), tc.data, tc.opts)
			if !errors.Is(err, tc.want) {
				t.Errorf("got error %v; want %v", err, tc.want)
			}
		})
	}
}

func TestContextCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Extract(ctx, onePage(text("F1", 10, 72, 700, "x")), Options{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got error %v; want context.Canceled", err)
	}
}

func TestContextDeadlineStopsLongPage(t *testing.T) {
	// A page of a million operators stops at the deadline.
	content := strings.Repeat("1 0 0 1 0 0 cm ", 1_000_000)
	b := newTestPDF()
	c := b.stream("", []byte(content), true)
	b.pageWith(fmt.Sprintf("/Contents %d 0 R", c), "")
	data := b.bytes()
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	time.Sleep(2 * time.Millisecond)
	_, err := Extract(ctx, data, Options{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got error %v; want context.DeadlineExceeded", err)
	}
}

// seeds are the synthetic PDFs the fuzz test starts from.
func seeds() [][]byte {
	var out [][]byte
	out = append(out, onePage(text("F1", 10, 72, 700, "Security Manager")+"1 1 1 rg "+text("F1", 10, 72, 680, "hidden")))
	b := newTestPDF()
	b.badXref = true
	form := b.stream("/Type /XObject /Subtype /Form /BBox [0 0 500 100] /Resources << /Font << /F9 3 0 R >> >>",
		[]byte("BT /F9 10 Tf 0 10 Td [(A)-300(B)] TJ ET"), true)
	b.page("/X1 Do BI /W 2 /H 2 /BPC 8 /CS /G ID \x00\x01\x02\x03 EI "+text("F2", 12, 72, 700, "Head"), fmt.Sprintf("/XObject << /X1 %d 0 R >>", form))
	out = append(out, b.bytes())
	d := pdfgen.New()
	d.Compress = true
	p := d.AddPage(pdfgen.LetterW, pdfgen.LetterH)
	p.Text(72, 100, pdfgen.Style{Spacing: pdfgen.TJGaps, Ligatures: true}, "office flow")
	out = append(out, d.Bytes())
	return out
}

func FuzzExtract(f *testing.F) {
	for _, s := range seeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		start := time.Now()
		doc, err := Extract(ctx, data, Options{MaxPages: 10, MaxDecompressed: 1 << 20})
		if d := time.Since(start); d > 6*time.Second {
			t.Fatalf("got %v; want Extract to stop at the deadline", d)
		}
		if err == nil && doc == nil {
			t.Fatalf("got nil document and nil error; want one of them")
		}
		if err != nil && strings.Contains(err.Error(), "internal error") && strings.Contains(err.Error(), "runtime error") {
			t.Fatalf("got %v; want no runtime error", err)
		}
	})
}

// TestPeakMemory30Pages samples the heap while a 30-page document is read.
func TestPeakMemory30Pages(t *testing.T) {
	if testing.Short() {
		t.Skip("samples the heap for a while")
	}
	data := longDoc(30)
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	done := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		var m runtime.MemStats
		var max uint64
		for {
			select {
			case <-done:
				peak <- max
				return
			case <-time.After(time.Millisecond):
				runtime.ReadMemStats(&m)
				if m.HeapAlloc > max {
					max = m.HeapAlloc
				}
			}
		}
	}()
	doc, err := Extract(context.Background(), data, Options{})
	close(done)
	p := <-peak
	if err != nil || doc.Pages != 30 {
		t.Fatalf("got pages %v error %v; want 30 pages", doc, err)
	}
	growth := int64(p) - int64(base.HeapAlloc)
	t.Logf("peak heap growth %.1f MB", float64(growth)/(1<<20))
	if growth > 100<<20 {
		t.Errorf("got peak heap growth %d bytes; want under 100 MB", growth)
	}
}

func BenchmarkExtract(b *testing.B) {
	benchmarkPages(b, 2)
}

// BenchmarkExtract30Pages bounds the work and allocation of a long document.
func BenchmarkExtract30Pages(b *testing.B) {
	benchmarkPages(b, 30)
}

func benchmarkPages(b *testing.B, pages int) {
	data := longDoc(pages)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Extract(context.Background(), data, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// longDoc returns a synthetic resume of the given number of pages, each
// with 50 lines of text in the three spacing styles producers use.
func longDoc(pages int) []byte {
	d := pdfgen.New()
	d.Compress = true
	for pg := 0; pg < pages; pg++ {
		p := d.AddPage(pdfgen.LetterW, pdfgen.LetterH)
		y := 60.0
		p.Text(72, y, pdfgen.Style{Size: 18, Font: "Helvetica-Bold"}, "Jordan Example")
		for i := 0; i < 50; i++ {
			y += 13
			sp := pdfgen.Spacing(i % 3)
			p.Text(72, y, pdfgen.Style{Size: 10, Spacing: sp}, fmt.Sprintf("Led incident response and risk assessments for agency %d across the state", i))
		}
	}
	return d.Bytes()
}

func TestFontKinds(t *testing.T) {
	b := newTestPDF()
	cmap := b.stream("", []byte("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"+
		"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"+
		"2 beginbfchar <0003> <0020> <0011> <FB01> endbfchar\n"+
		"1 beginbfrange <0024> <0026> <0041> endbfrange\n"+
		"endcmap CMapName currentdict /CMap defineresource pop end end"), true)
	desc := b.add("<< /Type /FontDescriptor /FontName /ABCDEF+SourceSans-Semibold /Flags 32 /ItalicAngle 0 >>")
	cid := b.add(fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+SourceSans-Semibold /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /DW 1000 /W [3 [250] 17 [550] 36 38 600] >>", desc))
	type0 := b.add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+SourceSans-Semibold /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>", cid, cmap))
	proc := b.stream("", []byte("500 0 d0"), false)
	type3 := b.add(fmt.Sprintf("<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [0.002 0 0 0.002 0 0] /CharProcs << /a %d 0 R >> /Encoding << /Differences [97 /a /b /c] >> /FirstChar 97 /LastChar 99 /Widths [250 250 250] /Resources << >> >>", proc))
	content := "BT /T0 12 Tf 72 700 Td <002400250026000300110003002400250026> Tj ET\n" +
		"BT /T3 6 Tf 72 650 Td (abc) Tj ET\n"
	b.page(content, fmt.Sprintf("/Font << /T0 %d 0 R /T3 %d 0 R >>", type0, type3))
	doc := extract(t, b.bytes())
	want := "ABC fi ABC\nabc"
	if got := joined(doc); got != want {
		t.Fatalf("got %q; want %q", got, want)
	}
	if l := doc.Lines[0]; !l.Bold || l.Size != 12 {
		t.Errorf("got CID line bold %v size %v; want bold (Semibold) size 12", l.Bold, l.Size)
	}
	if l := doc.Lines[1]; l.Size != 12 {
		t.Errorf("got Type3 line size %v; want 12 (6 pt through a doubled FontMatrix)", l.Size)
	}
}
