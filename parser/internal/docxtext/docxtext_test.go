package docxtext

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"sift/internal/docxgen"
	"sift/parser/internal/layout"
)

// build writes a document with docxgen.
func build(t testing.TB, d *docxgen.Document) []byte {
	t.Helper()
	data, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// replace returns the archive with parts replaced (nil data deletes the
// part); new names are added.
func replace(t testing.TB, docx []byte, parts map[string][]byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(docx), int64(len(docx)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	write := func(name string, data []byte) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	done := map[string]bool{}
	for _, f := range zr.File {
		data, ok := parts[f.Name]
		done[f.Name] = true
		if ok {
			if data != nil {
				write(f.Name, data)
			}
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		write(f.Name, b)
	}
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range parts {
			if !yield(k) {
				return
			}
		}
	}) {
		if !done[name] && parts[name] != nil {
			write(name, parts[name])
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const wordNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

// raw returns a document whose body is the given WordprocessingML.
func raw(t testing.TB, body string) []byte {
	t.Helper()
	doc := `<?xml version="1.0" encoding="UTF-8"?><w:document ` + wordNS + `><w:body>` + body + `</w:body></w:document>`
	return replace(t, build(t, &docxgen.Document{}), map[string][]byte{"word/document.xml": []byte(doc)})
}

func extract(t testing.TB, data []byte) *layout.Document {
	t.Helper()
	doc, err := Extract(context.Background(), data, Options{})
	if err != nil {
		t.Fatalf("got error %v; want none", err)
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

func run(text string) docxgen.Paragraph { return docxgen.P(text) }

func TestStyles(t *testing.T) {
	doc := extract(t, build(t, &docxgen.Document{
		Styles: []docxgen.Style{{ID: "Section", Name: "Section Heading", BasedOn: docxgen.StyleHeading2}},
		Body: []docxgen.Block{
			docxgen.PS(docxgen.StyleTitle, "Jane Doe"),
			docxgen.PS(docxgen.StyleHeading1, "Experience"),
			docxgen.PS(docxgen.StyleHeading2, "Security Manager"),
			docxgen.PS("Section", "Education"),
			docxgen.P("Plain text"),
			docxgen.Paragraph{Style: docxgen.StyleListParagraph, List: true, Runs: []docxgen.Run{{Text: "Led the team"}}},
			docxgen.Paragraph{Runs: []docxgen.Run{{Text: "BIG", Size: 20, Bold: true}, {Text: "s"}}},
			docxgen.Paragraph{Runs: []docxgen.Run{{Text: "Italic words", Italic: true}, {Text: "and", Caps: true}}},
			docxgen.Paragraph{Runs: []docxgen.Run{{Text: "small caps here", Caps: true}}},
		},
	}))
	want := []layout.Line{
		{Text: "Jane Doe", Style: "Title", Size: 28},
		{Text: "Experience", Style: "heading 1", Level: 1, Size: 16, Bold: true},
		{Text: "Security Manager", Style: "heading 2", Level: 2, Size: 13, Bold: true},
		{Text: "Education", Style: "Section Heading", Level: 2, Size: 13, Bold: true},
		{Text: "Plain text", Style: "Normal", Size: 11},
		{Text: "Led the team", Style: "List Paragraph", Size: 11, List: true},
		{Text: "BIGs", Style: "Normal", Size: 20, Bold: true},
		{Text: "Italic wordsand", Style: "Normal", Size: 11, Italic: true},
		{Text: "small caps here", Style: "Normal", Size: 11, Caps: true},
	}
	if len(doc.Lines) != len(want) {
		t.Fatalf("got %d lines %q; want %d", len(doc.Lines), texts(doc), len(want))
	}
	for i, w := range want {
		w.Block = true
		t.Run(w.Text, func(t *testing.T) {
			if got := doc.Lines[i]; got != w {
				t.Errorf("got %+v; want %+v", got, w)
			}
		})
	}
}

func TestText(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"tabs and breaks", build(t, &docxgen.Document{Body: []docxgen.Block{run("Name\tDate\nSecond line")}}),
			[]string{"Name Date", "Second line"}},
		{"soft hyphen dropped", build(t, &docxgen.Document{Body: []docxgen.Block{run("Manage\u00ADment and non\u2011breaking")}}),
			[]string{"Management and non-breaking"}},
		{"table cells", build(t, &docxgen.Document{Body: []docxgen.Block{
			run("Before"),
			docxgen.Table{Rows: [][][]docxgen.Paragraph{
				{{run("2019"), run("second para")}, {run("CISO")}},
				{{}, {run("Acme")}},
			}},
			run("After"),
		}}), []string{"Before", "2019", "second para", "CISO", "Acme", "After"}},
		{"text box read once", build(t, &docxgen.Document{Body: []docxgen.Block{
			docxgen.Paragraph{Runs: []docxgen.Run{{Text: "Anchor"}, {TextBox: []docxgen.Paragraph{run("Boxed skills"), run("CISSP")}}}},
			run("Next"),
		}}), []string{"Anchor", "Boxed skills", "CISSP", "Next"}},
		{"headers and footers", build(t, &docxgen.Document{
			Headers: [][]docxgen.Block{{run("Jane Doe, jane@example.com")}, {run("Jane Doe, jane@example.com")}, {run("Page header")}},
			Footers: [][]docxgen.Block{{run("Confidential")}},
			Body:    []docxgen.Block{run("Body")},
		}), []string{"Jane Doe, jane@example.com", "Page header", "Body", "Confidential"}},
		{"strict", build(t, &docxgen.Document{Strict: true,
			Headers: [][]docxgen.Block{{run("Head")}},
			Body: []docxgen.Block{docxgen.PS(docxgen.StyleHeading1, "Experience"), run("Body"),
				docxgen.Paragraph{Runs: []docxgen.Run{{TextBox: []docxgen.Paragraph{run("Box")}}}}},
		}), []string{"Head", "Experience", "Body", "Box"}},
		{"fields", raw(t, `<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> HYPERLINK "https://example.com" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>my site</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>`+
			`<w:p><w:fldSimple w:instr="PAGE"><w:r><w:t>3</w:t></w:r></w:fldSimple></w:p>`),
			[]string{"my site", "3"}},
		{"tracked changes", raw(t, `<w:p><w:r><w:t xml:space="preserve">Managed </w:t></w:r><w:del w:id="1" w:author="x"><w:r><w:delText>twelve</w:delText></w:r></w:del><w:ins w:id="2" w:author="x"><w:r><w:t>twenty</w:t></w:r></w:ins><w:r><w:t xml:space="preserve"> people</w:t></w:r></w:p>`),
			[]string{"Managed twenty people"}},
		{"symbol bullet dropped", raw(t, `<w:p><w:r><w:sym w:font="Symbol" w:char="F0B7"/><w:tab/><w:t>Item</w:t></w:r></w:p><w:p><w:r><w:sym w:font="Arial" w:char="00E9"/></w:r></w:p>`),
			[]string{"Item", "é"}},
		{"tab stops are not tabs", raw(t, `<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>A</w:t></w:r></w:p>`),
			[]string{"A"}},
		{"alternate content fallback when choice is empty", raw(t, `<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing/></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Fallback text</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>`),
			[]string{"Fallback text"}},
		{"nested alternate content", raw(t, `<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wpg"><w:txbxContent><w:p><w:r><w:t>outer</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:txbxContent><w:p><w:r><w:t>inner</w:t></w:r></w:p></w:txbxContent></mc:Choice><mc:Fallback><w:txbxContent><w:p><w:r><w:t>inner</w:t></w:r></w:p></w:txbxContent></mc:Fallback></mc:AlternateContent></w:r></w:p></w:txbxContent></mc:Choice><mc:Fallback><w:txbxContent><w:p><w:r><w:t>outer</w:t></w:r></w:p></w:txbxContent></mc:Fallback></mc:AlternateContent></w:r></w:p>`),
			[]string{"outer", "inner"}},
		{"word split over positioned boxes", raw(t, groupBoxes([][5]string{
			{"0", "0", "500000", "380000", "Emp"}, {"350000", "0", "900000", "380000", "loyment"},
			{"0", "600000", "900000", "380000", "DEVELOPMENT"}, {"800000", "600000", "900000", "380000", "Python"},
			{"0", "900000", "900000", "380000", "turn-over time"}, {"800000", "900000", "900000", "380000", "see"},
		})), []string{"Employment", "DEVELOPMENT", "Python", "turn-over time", "see"}},
		{"math", raw(t, `<w:p><w:r><w:t xml:space="preserve">Score </w:t></w:r><m:oMath><m:r><m:t>x+1</m:t></m:r></m:oMath></w:p>`),
			[]string{"Score x+1"}},
		{"typed bullet", raw(t, `<w:p><w:r><w:t>• Managed budgets</w:t></w:r></w:p>`),
			[]string{"Managed budgets"}},
		{"content controls", raw(t, `<w:sdt><w:sdtPr><w:alias w:val="Name"/><w:placeholder><w:docPart w:val="X"/></w:placeholder></w:sdtPr><w:sdtContent><w:p><w:r><w:t>Jane</w:t></w:r></w:p></w:sdtContent></w:sdt>`),
			[]string{"Jane"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := texts(extract(t, tt.data))
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q; want %q", got, tt.want)
			}
		})
	}
}

func TestNotes(t *testing.T) {
	base := build(t, &docxgen.Document{Body: []docxgen.Block{run("Body")}})
	zr, err := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	if err != nil {
		t.Fatal(err)
	}
	var rels string
	for _, f := range zr.File {
		if f.Name == "word/_rels/document.xml.rels" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			rels = string(b)
		}
	}
	rels = strings.Replace(rels, "</Relationships>", `<Relationship Id="rIdN" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>`, 1)
	notes := `<w:footnotes ` + wordNS + `><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/><w:t>sep</w:t></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>Certified 2019</w:t></w:r></w:p></w:footnote></w:footnotes>`
	data := replace(t, base, map[string][]byte{"word/_rels/document.xml.rels": []byte(rels), "word/footnotes.xml": []byte(notes)})
	if got, want := texts(extract(t, data)), []string{"Body", "Certified 2019"}; !slices.Equal(got, want) {
		t.Errorf("got %q; want %q", got, want)
	}
}

// groupBoxes returns a paragraph anchoring a group of text boxes, each
// {x, y, cx, cy, text}, as PDF-to-Word converters write them.
func groupBoxes(boxes [][5]string) string {
	var b strings.Builder
	b.WriteString(`<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wpg"><w:drawing><wpg:wgp xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">`)
	for _, bx := range boxes {
		fmt.Fprintf(&b, `<wps:wsp><wps:spPr><a:xfrm><a:off x="%s" y="%s"/><a:ext cx="%s" cy="%s"/></a:xfrm></wps:spPr><wps:txbx><w:txbxContent><w:p><w:r><w:rPr><w:sz w:val="32"/></w:rPr><w:t>%s</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp>`, bx[0], bx[1], bx[2], bx[3], bx[4])
	}
	b.WriteString(`</wpg:wgp></w:drawing></mc:Choice></mc:AlternateContent></w:r></w:p>`)
	return b.String()
}

func TestBlocks(t *testing.T) {
	doc := extract(t, build(t, &docxgen.Document{Body: []docxgen.Block{
		run("One\nTwo"),
		docxgen.Table{Rows: [][][]docxgen.Paragraph{{{run("Cell")}}}},
	}}))
	got := []bool{}
	for _, l := range doc.Lines {
		got = append(got, l.Block)
	}
	if want := []bool{true, false, true}; !slices.Equal(got, want) {
		t.Errorf("got Block %v for %q; want %v", got, texts(doc), want)
	}
}

func TestHidden(t *testing.T) {
	tests := []struct {
		name       string
		data       []byte
		wantLines  []string
		wantHidden []layout.Hidden
	}{
		{"vanish", build(t, &docxgen.Document{Body: []docxgen.Block{docxgen.Paragraph{Runs: []docxgen.Run{
			{Text: "Visible "}, {Text: "CISSP CISM HIPAA", Hidden: true}, {Text: "text"},
		}}}}), []string{"Visible text"}, []layout.Hidden{{Text: "CISSP CISM HIPAA", Reason: layout.ReasonVanish}}},
		{"vanish paragraph", build(t, &docxgen.Document{Body: []docxgen.Block{
			docxgen.Paragraph{Runs: []docxgen.Run{{Text: "all hidden", Hidden: true}}}, run("shown"),
		}}), []string{"shown"}, []layout.Hidden{{Text: "all hidden", Reason: layout.ReasonVanish}}},
		{"white", build(t, &docxgen.Document{Body: []docxgen.Block{docxgen.Paragraph{Runs: []docxgen.Run{
			{Text: "Resume"}, {Text: " FISMA", Color: "ffffff"},
		}}}}), []string{"Resume"}, []layout.Hidden{{Text: "FISMA", Reason: layout.ReasonWhiteText}}},
		{"white in a text box is kept", build(t, &docxgen.Document{Body: []docxgen.Block{docxgen.Paragraph{Runs: []docxgen.Run{
			{TextBox: []docxgen.Paragraph{{Runs: []docxgen.Run{{Text: "SKILLS", Color: "FFFFFF"}}}}},
		}}}}), []string{"SKILLS"}, nil},
		{"white on a shaded cell is kept", raw(t, `<w:tbl><w:tr><w:tc><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="1F3864"/></w:tcPr><w:p><w:r><w:rPr><w:color w:val="FFFFFF"/></w:rPr><w:t>CONTACT</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`),
			[]string{"CONTACT"}, nil},
		{"white over a picture behind the text is kept", raw(t, `<w:p><w:r><w:drawing><wp:anchor xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" behindDoc="1"/></w:drawing></w:r></w:p><w:p><w:r><w:rPr><w:color w:val="FFFFFF"/></w:rPr><w:t>NAME</w:t></w:r></w:p>`),
			[]string{"NAME"}, nil},
		{"tiny", build(t, &docxgen.Document{Body: []docxgen.Block{docxgen.Paragraph{Runs: []docxgen.Run{
			{Text: "Real"}, {Text: " keywords", Size: 1},
		}}}}), []string{"Real"}, []layout.Hidden{{Text: "keywords", Reason: layout.ReasonTinyFont}}},
		{"hidden header", build(t, &docxgen.Document{
			Headers: [][]docxgen.Block{{docxgen.Paragraph{Runs: []docxgen.Run{{Text: "stuffing", Hidden: true}}}}},
			Body:    []docxgen.Block{run("Body")},
		}), []string{"Body"}, []layout.Hidden{{Text: "stuffing", Reason: layout.ReasonVanish}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := extract(t, tt.data)
			if got := texts(doc); !slices.Equal(got, tt.wantLines) {
				t.Errorf("got lines %q; want %q", got, tt.wantLines)
			}
			if !slices.Equal(doc.Hidden, tt.wantHidden) {
				t.Errorf("got hidden %+v; want %+v", doc.Hidden, tt.wantHidden)
			}
		})
	}
}

func TestStyleResolution(t *testing.T) {
	styles := `<?xml version="1.0"?><w:styles ` + wordNS + `>
<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="24"/></w:rPr></w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Body"><w:name w:val="Body Text"/></w:style>
<w:style w:type="paragraph" w:styleId="A"><w:name w:val="A"/><w:basedOn w:val="B"/></w:style>
<w:style w:type="paragraph" w:styleId="B"><w:name w:val="B"/><w:basedOn w:val="A"/><w:rPr><w:b/><w:caps/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="H"><w:name w:val="Heading 3"/><w:rPr><w:sz w:val="14pt"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Out"><w:name w:val="Custom"/><w:pPr><w:outlineLvl w:val="0"/><w:numPr><w:numId w:val="4"/></w:numPr></w:pPr></w:style>
<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr></w:style>
</w:styles>`
	body := `<w:p><w:r><w:t>default</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:pStyle w:val="A"/></w:pPr><w:r><w:t>cycle</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:pStyle w:val="H"/></w:pPr><w:r><w:t>named heading</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:pStyle w:val="Out"/></w:pPr><w:r><w:t>outline</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:pStyle w:val="Out"/><w:numPr><w:numId w:val="0"/></w:numPr><w:outlineLvl w:val="9"/></w:pPr><w:r><w:t>overridden</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:outlineLvl w:val="2"/></w:pPr><w:r><w:rPr><w:rStyle w:val="Strong"/></w:rPr><w:t>direct</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:pStyle w:val="Missing"/></w:pPr><w:r><w:rPr><w:b/><w:b w:val="0"/></w:rPr><w:t>unknown style</w:t></w:r></w:p>`
	data := replace(t, raw(t, body), map[string][]byte{"word/styles.xml": []byte(styles)})
	doc := extract(t, data)
	want := []layout.Line{
		{Text: "default", Style: "Body Text", Size: 12},
		{Text: "cycle", Style: "A", Size: 12, Bold: true, Caps: true},
		{Text: "named heading", Style: "Heading 3", Level: 3, Size: 14},
		{Text: "outline", Style: "Custom", Level: 1, Size: 12, List: true},
		{Text: "overridden", Style: "Custom", Size: 12},
		{Text: "direct", Style: "Body Text", Level: 3, Size: 12, Bold: true},
		{Text: "unknown style", Style: "Missing", Size: 12},
	}
	if len(doc.Lines) != len(want) {
		t.Fatalf("got %q; want %d lines", texts(doc), len(want))
	}
	for i, w := range want {
		w.Block = true
		if got := doc.Lines[i]; got != w {
			t.Errorf("line %d: got %+v; want %+v", i, got, w)
		}
	}
}

func TestProducer(t *testing.T) {
	for _, strict := range []bool{false, true} {
		t.Run(fmt.Sprint("strict=", strict), func(t *testing.T) {
			doc := extract(t, build(t, &docxgen.Document{Strict: strict, Application: "Microsoft Office Word", Body: []docxgen.Block{run("x")}}))
			if want := "Microsoft Office Word 1.0"; doc.Producer != want {
				t.Errorf("got producer %q; want %q", doc.Producer, want)
			}
		})
	}
}

func TestMainPartFromRelationships(t *testing.T) {
	base := build(t, &docxgen.Document{Body: []docxgen.Block{run("Found through the relationships")}})
	zr, _ := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	var doc, rels []byte
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		switch f.Name {
		case "word/document.xml":
			doc = b
		case "word/_rels/document.xml.rels":
			rels = b
		}
	}
	moved := replace(t, base, map[string][]byte{
		"word/document.xml":            nil,
		"word/_rels/document.xml.rels": nil,
		"word/main.xml":                doc,
		"word/_rels/main.xml.rels":     rels,
		"_rels/.rels":                  []byte(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/word/main.xml"/></Relationships>`),
	})
	if got, want := texts(extract(t, moved)), []string{"Found through the relationships"}; !slices.Equal(got, want) {
		t.Errorf("got %q; want %q", got, want)
	}
}

func TestErrors(t *testing.T) {
	good := build(t, &docxgen.Document{Body: []docxgen.Block{run("text")}})
	deep := strings.Repeat("<w:sdt><w:sdtContent>", 300) + strings.Repeat("</w:sdtContent></w:sdt>", 300)
	tests := []struct {
		name     string
		data     []byte
		want     error
		contains string
	}{
		{"not a zip", []byte("PK\x03\x04 this is not an archive"), layout.ErrMalformed, "ZIP"},
		{"truncated zip", good[:len(good)/2], layout.ErrMalformed, "ZIP"},
		{"encrypted", append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e\x00")...), layout.ErrEncrypted, ""},
		{"legacy doc", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 WordDocument"), layout.ErrMalformed, "OLE2"},
		{"missing main part", replace(t, good, map[string][]byte{"word/document.xml": nil}), layout.ErrMalformed, "word/document.xml"},
		{"no main relationship", replace(t, good, map[string][]byte{"_rels/.rels": []byte(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>`)}), layout.ErrMalformed, "officeDocument"},
		{"damaged rels", replace(t, good, map[string][]byte{"_rels/.rels": []byte(`<Relationships`)}), layout.ErrMalformed, "_rels/.rels"},
		{"damaged xml", replace(t, good, map[string][]byte{"word/document.xml": []byte(`<w:document ` + wordNS + `><w:body><w:p><w:r><w:t>text</w:r></w:p></w:body></w:document>`)}), layout.ErrMalformed, "word/document.xml"},
		{"truncated xml", replace(t, good, map[string][]byte{"word/document.xml": []byte(`<w:document ` + wordNS + `><w:body><w:p><w:r><w:t>te`)}), layout.ErrMalformed, "word/document.xml"},
		{"not a word document", replace(t, good, map[string][]byte{"word/document.xml": []byte(`<workbook/>`)}), layout.ErrMalformed, "workbook"},
		{"too deep", raw(t, deep), layout.ErrTooLarge, "nested"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Extract(context.Background(), tt.data, Options{})
			if !errors.Is(err, tt.want) {
				t.Fatalf("got error %v; want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("got error %q; want it to name %q", err, tt.contains)
			}
		})
	}
}

func TestDamagedOptionalParts(t *testing.T) {
	data := replace(t, build(t, &docxgen.Document{
		Headers: [][]docxgen.Block{{run("header")}},
		Body:    []docxgen.Block{docxgen.PS(docxgen.StyleHeading1, "Body")},
	}), map[string][]byte{
		"word/styles.xml":  []byte(`<w:styles ` + wordNS + `><w:style>`),
		"word/header1.xml": []byte(`<w:hdr ` + wordNS + `><w:p>`),
	})
	doc := extract(t, data)
	if got, want := texts(doc), []string{"Body"}; !slices.Equal(got, want) {
		t.Errorf("got %q; want %q", got, want)
	}
	if len(doc.Warnings) != 2 {
		t.Errorf("got warnings %q; want one for the styles and one for the header", doc.Warnings)
	}
}

// bomb returns a DOCX whose main part inflates to more than size bytes from
// a deflate stream about a thousandth of that, written by hand: one 'A'
// and then matches of 258 bytes at distance 1.
// A declared size of 0 declares the true size.
func bomb(t testing.TB, size int, declared uint64) []byte {
	t.Helper()
	prefix := `<w:document ` + wordNS + `><w:body><w:p><w:r><w:t>`
	suffix := `</w:t></w:r></w:p></w:body></w:document>`
	var bw bitWriter
	bw.bits(1, 1)                                          // final block
	bw.bits(1, 2)                                          // fixed Huffman codes
	literal := func(c byte) { bw.code(0x30+uint32(c), 8) } // c < 144
	for i := range len(prefix) {
		literal(prefix[i])
	}
	literal('A')
	for n := size - 1; n > 0; {
		if n < 258 {
			literal('A')
			n--
			continue
		}
		bw.code(0xC5, 8) // length 258
		bw.code(0, 5)    // distance 1
		n -= 258
	}
	for i := range len(suffix) {
		literal(suffix[i])
	}
	bw.code(0, 7) // end of block
	crc := crc32.Update(0, crc32.IEEETable, []byte(prefix))
	chunk := bytes.Repeat([]byte("A"), 64<<10)
	for n := size; n > 0; n -= len(chunk) {
		crc = crc32.Update(crc, crc32.IEEETable, chunk[:min(n, len(chunk))])
	}
	crc = crc32.Update(crc, crc32.IEEETable, []byte(suffix))

	base := build(t, &docxgen.Document{})
	zr, err := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			if declared == 0 {
				declared = uint64(len(prefix) + size + len(suffix))
			}
			w, err := zw.CreateRaw(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, CRC32: crc,
				CompressedSize64: uint64(len(bw.out)), UncompressedSize64: declared})
			if err != nil {
				t.Fatal(err)
			}
			w.Write(bw.out)
			continue
		}
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// bitWriter writes a deflate bit stream.
type bitWriter struct {
	out  []byte
	nbit uint
}

// bits writes n bits of v, least significant first.
func (b *bitWriter) bits(v uint32, n uint) {
	for i := range n {
		if b.nbit%8 == 0 {
			b.out = append(b.out, 0)
		}
		b.out[len(b.out)-1] |= byte((v>>i)&1) << (b.nbit % 8)
		b.nbit++
	}
}

// code writes an n-bit Huffman code, most significant bit first.
func (b *bitWriter) code(c uint32, n uint) {
	for i := int(n) - 1; i >= 0; i-- {
		b.bits((c>>uint(i))&1, 1)
	}
}

func TestLimits(t *testing.T) {
	t.Run("zip bomb", func(t *testing.T) {
		data := bomb(t, 64<<20, 0)
		start := time.Now()
		_, err := Extract(context.Background(), data, Options{MaxDecompressed: 1 << 20})
		if !errors.Is(err, layout.ErrTooLarge) {
			t.Fatalf("got error %v; want ErrTooLarge", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("got %v to fail; want it fast", d)
		}
	})
	t.Run("bomb under the limit is read", func(t *testing.T) {
		doc := extract(t, bomb(t, 100_000, 0))
		if len(doc.Lines) != 1 || len(doc.Lines[0].Text) != 100_000 {
			t.Fatalf("got %d lines; want one of 100000 letters", len(doc.Lines))
		}
	})
	t.Run("lying size", func(t *testing.T) {
		// The archive claims a small part; inflating stops there.
		start := time.Now()
		_, err := Extract(context.Background(), bomb(t, 8<<20, 1000), Options{MaxDecompressed: 1 << 20})
		if !errors.Is(err, layout.ErrMalformed) {
			t.Fatalf("got error %v; want ErrMalformed", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("got %v to fail; want it fast", d)
		}
	})
	t.Run("budget spans parts", func(t *testing.T) {
		data := build(t, &docxgen.Document{Body: []docxgen.Block{run(strings.Repeat("word ", 2000))}})
		if _, err := Extract(context.Background(), data, Options{MaxDecompressed: 4 << 10}); !errors.Is(err, layout.ErrTooLarge) {
			t.Fatalf("got error %v; want ErrTooLarge", err)
		}
	})
	t.Run("canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := Extract(ctx, build(t, &docxgen.Document{}), Options{}); !errors.Is(err, context.Canceled) {
			t.Fatalf("got error %v; want context.Canceled", err)
		}
	})
	t.Run("many headers", func(t *testing.T) {
		var headers [][]docxgen.Block
		for i := range MaxParts + 20 {
			headers = append(headers, []docxgen.Block{run(fmt.Sprint("header ", i))})
		}
		doc := extract(t, build(t, &docxgen.Document{Headers: headers, Body: []docxgen.Block{run("body")}}))
		if !slices.Contains(texts(doc), "body") || len(doc.Warnings) == 0 {
			t.Errorf("got %d lines and warnings %q; want the body and a warning", len(doc.Lines), doc.Warnings)
		}
	})
}

// resume is a two-page synthetic resume for the fuzz seeds and the
// benchmark.
func resume() *docxgen.Document {
	d := &docxgen.Document{
		Application: "docxgen",
		Headers:     [][]docxgen.Block{{run("Jane Doe · jane@example.com · +1 555 0100")}},
		Footers:     [][]docxgen.Block{{run("Page 1")}},
	}
	d.Body = append(d.Body, docxgen.PS(docxgen.StyleTitle, "Jane Doe"), docxgen.PS(docxgen.StyleHeading1, "Experience"))
	for i := range 12 {
		d.Body = append(d.Body,
			docxgen.PS(docxgen.StyleHeading2, fmt.Sprintf("Director of Security, Company %d", i)),
			docxgen.Table{Rows: [][][]docxgen.Paragraph{{{run("2015 – 2020")}, {run("New York, NY")}}}},
		)
		for j := range 4 {
			d.Body = append(d.Body, docxgen.Paragraph{Style: docxgen.StyleListParagraph, List: true, Runs: []docxgen.Run{
				{Text: "Led ", Bold: true}, {Text: fmt.Sprintf("incident response for %d sites\tunder HIPAA and SOX", j+3)},
			}})
		}
	}
	d.Body = append(d.Body, docxgen.Paragraph{Runs: []docxgen.Run{{TextBox: []docxgen.Paragraph{docxgen.PS(docxgen.StyleHeading1, "Skills"), run("CISSP, CISM")}}}})
	return d
}

func BenchmarkExtract(b *testing.B) {
	data := build(b, resume())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Extract(context.Background(), data, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzExtract(f *testing.F) {
	f.Add(build(f, resume()))
	f.Add(build(f, &docxgen.Document{Strict: true, Body: []docxgen.Block{docxgen.PS(docxgen.StyleHeading1, "x"),
		docxgen.Paragraph{Runs: []docxgen.Run{{Text: "a\tb\nc", Hidden: true}, {TextBox: []docxgen.Paragraph{run("box")}}}}}}))
	f.Add(raw(f, `<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:txbxContent><w:p><w:r><w:t>x</w:t></w:r></w:p></w:txbxContent></mc:Choice></mc:AlternateContent></w:r></w:p>`))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		doc, err := Extract(ctx, data, Options{MaxDecompressed: 4 << 20})
		if err == nil && doc == nil {
			t.Fatal("got a nil document and no error")
		}
		if err != nil && !errors.Is(err, layout.ErrMalformed) && !errors.Is(err, layout.ErrTooLarge) && !errors.Is(err, layout.ErrEncrypted) {
			t.Fatalf("got error %v; want one wrapping a layout sentinel", err)
		}
	})
}
