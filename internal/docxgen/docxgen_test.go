package docxgen_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"sift/internal/docxgen"
)

func sample(strict bool) *docxgen.Document {
	return &docxgen.Document{
		Strict:      strict,
		Application: "docxgen test",
		Headers:     [][]docxgen.Block{{docxgen.P("Header & more")}},
		Footers:     [][]docxgen.Block{{docxgen.P("Footer")}},
		Body: []docxgen.Block{
			docxgen.PS(docxgen.StyleTitle, "Jane Doe"),
			docxgen.Paragraph{Runs: []docxgen.Run{{Text: "Tab\there\nbreak soft\u00ADhyphen", Bold: true, Color: "FF0000", Size: 12}}},
			docxgen.Table{Rows: [][][]docxgen.Paragraph{{{docxgen.P("a")}, {docxgen.P("b")}}}},
			docxgen.Paragraph{Runs: []docxgen.Run{{TextBox: []docxgen.Paragraph{docxgen.P("boxed")}}}},
		},
	}
}

func parts(t *testing.T, data []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("got zip error %v; want a readable archive", err)
	}
	m := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		m[f.Name] = string(b)
	}
	return m
}

func TestDeterministic(t *testing.T) {
	for _, strict := range []bool{false, true} {
		t.Run(fmt.Sprint("strict=", strict), func(t *testing.T) {
			a, err := sample(strict).Bytes()
			if err != nil {
				t.Fatal(err)
			}
			b, err := sample(strict).Bytes()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, b) {
				t.Errorf("got different bytes from the same document; want identical")
			}
		})
	}
}

func TestParts(t *testing.T) {
	tests := []struct {
		name   string
		strict bool
		part   string
		want   []string
	}{
		{"namespace", false, "word/document.xml", []string{`xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`}},
		{"strict namespace", true, "word/document.xml", []string{`xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"`, `w:conformance="strict"`}},
		{"strict relationships", true, "_rels/.rels", []string{`Type="http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"`}},
		{"runs", false, "word/document.xml", []string{`<w:tab/>`, `<w:br/>`, `<w:softHyphen/>`, `<w:b/>`, `<w:color w:val="FF0000"/>`, `<w:sz w:val="24"/>`}},
		{"text box twice", false, "word/document.xml", []string{`<mc:Choice Requires="wps">`, `<wps:txbx><w:txbxContent>`, `<mc:Fallback><w:pict>`, `<v:textbox><w:txbxContent>`}},
		{"header escaped", false, "word/header1.xml", []string{`Header &amp; more`, `<w:hdr `}},
		{"footer", false, "word/footer1.xml", []string{`Footer`}},
		{"header referenced", false, "word/document.xml", []string{`<w:headerReference w:type="default" r:id="rIdH1"/>`}},
		{"app", false, "docProps/app.xml", []string{`<Application>docxgen test</Application>`}},
		{"styles", false, "word/styles.xml", []string{`w:styleId="Heading2"`, `<w:basedOn w:val="Heading1"/>`, `<w:outlineLvl w:val="1"/>`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := sample(tt.strict).Bytes()
			if err != nil {
				t.Fatal(err)
			}
			got, ok := parts(t, data)[tt.part]
			if !ok {
				t.Fatalf("got no part %s; want one", tt.part)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("%s: got no %s; want it", tt.part, w)
				}
			}
		})
	}
}

func Example() {
	doc := &docxgen.Document{Body: []docxgen.Block{
		docxgen.PS(docxgen.StyleTitle, "Jane Doe"),
		docxgen.PS(docxgen.StyleHeading1, "Experience"),
		docxgen.Paragraph{Style: docxgen.StyleListParagraph, List: true, Runs: []docxgen.Run{{Text: "Led the security team"}}},
	}}
	data, err := doc.Bytes()
	if err != nil {
		panic(err)
	}
	fmt.Println(bytes.HasPrefix(data, []byte("PK\x03\x04")))
	// Output: true
}
