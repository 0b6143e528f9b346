package pdftext

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"strings"
)

// testPDF builds small PDF files from content-stream strings, for tests.
// Object 1 is the catalog, 2 the page tree, 3 the Helvetica font (no
// /Widths: the standard-14 metrics apply), 4 Helvetica-Bold.
type testPDF struct {
	objs    []string // bodies, object n at index n-1; "" for the page tree until written
	pages   []int
	version string // header version, default 1.4
	prefix  string // bytes before the header
	suffix  string // bytes after %%EOF
	trailer string // extra trailer entries
	badXref bool   // write wrong offsets in the cross-reference table
	noXref  bool   // write no cross-reference table or trailer at all
	info    string // Info dictionary body
}

func newTestPDF() *testPDF {
	b := &testPDF{version: "1.4"}
	b.add("<< /Type /Catalog /Pages 2 0 R >>")
	b.add("") // page tree
	b.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	b.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
	return b
}

func (b *testPDF) add(body string) int {
	b.objs = append(b.objs, body)
	return len(b.objs)
}

// stream adds a stream object; compress applies FlateDecode.
func (b *testPDF) stream(dict string, data []byte, compress bool) int {
	if compress {
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		zw.Write(data)
		zw.Close()
		data = z.Bytes()
		dict += " /Filter /FlateDecode"
	}
	return b.add(fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data))
}

// page adds a 612x792 page with the content and extra resource entries.
func (b *testPDF) page(content string, extraRes string) int {
	c := b.stream("", []byte(content), false)
	return b.pageWith(fmt.Sprintf("/Contents %d 0 R", c), extraRes)
}

func (b *testPDF) pageWith(entries, extraRes string) int {
	n := b.add(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> %s >> %s >>", extraRes, entries))
	b.pages = append(b.pages, n)
	return n
}

func (b *testPDF) bytes() []byte {
	var kids []string
	for _, p := range b.pages {
		kids = append(kids, fmt.Sprintf("%d 0 R", p))
	}
	b.objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids))
	infoNum := 0
	if b.info != "" {
		infoNum = b.add(b.info)
	}
	var out bytes.Buffer
	out.WriteString(b.prefix)
	start := out.Len()
	fmt.Fprintf(&out, "%%PDF-%s\n%%\xe2\xe3\xcf\xd3\n", b.version)
	offs := make([]int, len(b.objs))
	for i, body := range b.objs {
		offs[i] = out.Len() - start
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, body)
	}
	if b.noXref {
		out.WriteString("%%EOF\n")
		return out.Bytes()
	}
	xref := out.Len() - start
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(b.objs)+1)
	for _, o := range offs {
		if b.badXref {
			o += 7
		}
		fmt.Fprintf(&out, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R %s", len(b.objs)+1, b.trailer)
	if infoNum > 0 {
		fmt.Fprintf(&out, " /Info %d 0 R", infoNum)
	}
	fmt.Fprintf(&out, " >>\nstartxref\n%d\n%%%%EOF\n%s", xref, b.suffix)
	return out.Bytes()
}

// text returns content drawing s in font F1 (or font) at size with its
// baseline at (x, y) in PDF coordinates.
func text(font string, size, x, y float64, s string) string {
	return fmt.Sprintf("BT /%s %g Tf %g %g Td (%s) Tj ET\n", font, size, x, y, s)
}

// onePage returns a one-page PDF with the content.
func onePage(content string) []byte {
	b := newTestPDF()
	b.page(content, "")
	return b.bytes()
}
