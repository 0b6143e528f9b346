// Package docxgen writes small, deterministic Word documents (DOCX) for
// tests and synthetic sample resumes: styled paragraphs and runs, tables,
// headers and footers, and text boxes written the way Word writes them.
//
// The same Document always produces the same bytes: parts are written in a
// fixed order with a fixed modification time.
package docxgen

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Built-in paragraph style ids. Every document carries them in styles.xml:
// Normal (the default, 11 pt), Title (28 pt), Heading1 (bold, 16 pt,
// outline level 1), Heading2 (13 pt, outline level 2, based on Heading1 so
// it is bold by inheritance) and ListParagraph.
const (
	StyleNormal        = "Normal"
	StyleTitle         = "Title"
	StyleHeading1      = "Heading1"
	StyleHeading2      = "Heading2"
	StyleListParagraph = "ListParagraph"
)

// A Document is a Word document to write. The zero value is an empty
// document.
type Document struct {
	Body    []Block   // paragraphs and tables in order
	Headers [][]Block // one header part each (word/header1.xml, ...)
	Footers [][]Block // one footer part each (word/footer1.xml, ...)
	Styles  []Style   // paragraph styles added to the built-in ones
	// Strict writes ISO/IEC 29500 Strict namespaces
	// (http://purl.oclc.org/ooxml/...) instead of Transitional ones.
	Strict bool
	// Application is written to docProps/app.xml with AppVersion "1.0";
	// "" writes no app.xml.
	Application string
}

// A Block is a Paragraph or a Table.
type Block interface{ block() }

// A Paragraph is a w:p element.
type Paragraph struct {
	Style string // style id; "" is Normal
	List  bool   // a bulleted list item (w:numPr)
	Runs  []Run
}

// A Run is a w:r element. In Text, '\t' is written as w:tab, '\n' as w:br,
// U+00AD as w:softHyphen and U+2011 as w:noBreakHyphen.
type Run struct {
	Text   string
	Bold   bool
	Italic bool
	Caps   bool    // w:caps
	Hidden bool    // w:vanish
	Color  string  // RRGGBB; "" inherits
	Size   float64 // points; 0 inherits
	// TextBox, when non-nil, makes the run an anchored text box holding
	// these paragraphs, written as Word does: a DrawingML shape (mc:Choice)
	// with a VML fallback (mc:Fallback) carrying the same paragraphs.
	TextBox []Paragraph
}

// A Table is a w:tbl element: rows of cells, each cell a list of
// paragraphs (an empty cell gets an empty paragraph).
type Table struct {
	Rows [][][]Paragraph
}

// A Style is a paragraph style added to styles.xml.
type Style struct {
	ID      string  // w:styleId
	Name    string  // w:name
	BasedOn string  // style id it inherits from; "" for none
	Bold    bool    // w:b in the style's run properties
	Size    float64 // points; 0 inherits
	Level   int     // heading level 1-9 (w:outlineLvl Level-1); 0 for none
}

func (Paragraph) block() {}
func (Table) block()     {}

// P returns a Normal-style paragraph of one plain run, or an empty
// paragraph when text is "".
func P(text string) Paragraph { return PS("", text) }

// PS returns a paragraph in the given style holding one plain run.
func PS(style, text string) Paragraph {
	p := Paragraph{Style: style}
	if text != "" {
		p.Runs = []Run{{Text: text}}
	}
	return p
}

// epoch is the modification time of every part: the earliest a zip
// header can hold.
var epoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// Bytes returns the document as a DOCX file.
func (d *Document) Bytes() ([]byte, error) {
	var buf bytes.Buffer
	if err := d.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Write writes the document as a DOCX file to w.
func (d *Document) Write(w io.Writer) error {
	ns := transitional
	if d.Strict {
		ns = strict
	}
	g := &gen{ns: ns}
	parts := []part{
		{"[Content_Types].xml", d.contentTypes()},
		{"_rels/.rels", d.packageRels(ns)},
		{"word/document.xml", g.document(d.Body, d.headerRefs())},
		{"word/_rels/document.xml.rels", d.documentRels(ns)},
		{"word/styles.xml", styles(ns, d.Styles)},
		{"word/numbering.xml", numbering(ns)},
	}
	for i, h := range d.Headers {
		parts = append(parts, part{fmt.Sprintf("word/header%d.xml", i+1), g.story("hdr", h)})
	}
	for i, f := range d.Footers {
		parts = append(parts, part{fmt.Sprintf("word/footer%d.xml", i+1), g.story("ftr", f)})
	}
	if d.Application != "" {
		parts = append(parts, part{"docProps/app.xml", app(ns, d.Application)})
	}
	zw := zip.NewWriter(w)
	for _, p := range parts {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: epoch})
		if err != nil {
			return fmt.Errorf("docxgen: %s: %w", p.name, err)
		}
		if _, err := fw.Write(p.data); err != nil {
			return fmt.Errorf("docxgen: %s: %w", p.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("docxgen: %w", err)
	}
	return nil
}

type part struct {
	name string
	data []byte
}

// namespaces are the URIs that differ between Transitional and Strict.
type namespaces struct {
	w, r, rel, wp, a, conformance string
}

var (
	transitional = namespaces{
		w:   "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
		r:   "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
		rel: "http://schemas.openxmlformats.org/officeDocument/2006/relationships/",
		wp:  "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
		a:   "http://schemas.openxmlformats.org/drawingml/2006/main",
	}
	strict = namespaces{
		w:           "http://purl.oclc.org/ooxml/wordprocessingml/main",
		r:           "http://purl.oclc.org/ooxml/officeDocument/relationships",
		rel:         "http://purl.oclc.org/ooxml/officeDocument/relationships/",
		wp:          "http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing",
		a:           "http://purl.oclc.org/ooxml/drawingml/main",
		conformance: ` w:conformance="strict"`,
	}
)

const (
	nsMC  = "http://schemas.openxmlformats.org/markup-compatibility/2006"
	nsWPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
	nsV   = "urn:schemas-microsoft-com:vml"
	nsO   = "urn:schemas-microsoft-com:office:office"
	nsW14 = "http://schemas.microsoft.com/office/word/2010/wordml"
	xmlPI = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
)

func (d *Document) contentTypes() []byte {
	var b strings.Builder
	b.WriteString(xmlPI)
	b.WriteString(`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`)
	b.WriteString(`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>`)
	b.WriteString(`<Default Extension="xml" ContentType="application/xml"/>`)
	b.WriteString(`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>`)
	b.WriteString(`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>`)
	b.WriteString(`<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>`)
	for i := range d.Headers {
		fmt.Fprintf(&b, `<Override PartName="/word/header%d.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>`, i+1)
	}
	for i := range d.Footers {
		fmt.Fprintf(&b, `<Override PartName="/word/footer%d.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>`, i+1)
	}
	if d.Application != "" {
		b.WriteString(`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>`)
	}
	b.WriteString(`</Types>`)
	return []byte(b.String())
}

func (d *Document) packageRels(ns namespaces) []byte {
	var b strings.Builder
	b.WriteString(xmlPI)
	b.WriteString(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	fmt.Fprintf(&b, `<Relationship Id="rId1" Type="%sofficeDocument" Target="word/document.xml"/>`, ns.rel)
	if d.Application != "" {
		typ := ns.rel + "extended-properties"
		if ns == strict {
			typ = ns.rel + "extendedProperties"
		}
		fmt.Fprintf(&b, `<Relationship Id="rId2" Type="%s" Target="docProps/app.xml"/>`, typ)
	}
	b.WriteString(`</Relationships>`)
	return []byte(b.String())
}

// headerRefs returns the w:headerReference and w:footerReference elements
// of the section. Word allows one reference of each type (default, first,
// even); further parts are related but not referenced.
func (d *Document) headerRefs() string {
	var b strings.Builder
	types := []string{"default", "first", "even"}
	for i := range d.Headers {
		if i < len(types) {
			fmt.Fprintf(&b, `<w:headerReference w:type="%s" r:id="rIdH%d"/>`, types[i], i+1)
		}
	}
	for i := range d.Footers {
		if i < len(types) {
			fmt.Fprintf(&b, `<w:footerReference w:type="%s" r:id="rIdF%d"/>`, types[i], i+1)
		}
	}
	if len(d.Headers) > 1 || len(d.Footers) > 1 {
		b.WriteString(`<w:titlePg/>`)
	}
	return b.String()
}

func (d *Document) documentRels(ns namespaces) []byte {
	var b strings.Builder
	b.WriteString(xmlPI)
	b.WriteString(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	fmt.Fprintf(&b, `<Relationship Id="rId1" Type="%sstyles" Target="styles.xml"/>`, ns.rel)
	fmt.Fprintf(&b, `<Relationship Id="rId2" Type="%snumbering" Target="numbering.xml"/>`, ns.rel)
	for i := range d.Headers {
		fmt.Fprintf(&b, `<Relationship Id="rIdH%d" Type="%sheader" Target="header%d.xml"/>`, i+1, ns.rel, i+1)
	}
	for i := range d.Footers {
		fmt.Fprintf(&b, `<Relationship Id="rIdF%d" Type="%sfooter" Target="footer%d.xml"/>`, i+1, ns.rel, i+1)
	}
	b.WriteString(`</Relationships>`)
	return []byte(b.String())
}

func app(ns namespaces, application string) []byte {
	uri := "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
	if ns == strict {
		uri = "http://purl.oclc.org/ooxml/officeDocument/extendedProperties"
	}
	var b strings.Builder
	b.WriteString(xmlPI)
	fmt.Fprintf(&b, `<Properties xmlns="%s"><Application>`, uri)
	escape(&b, application)
	b.WriteString(`</Application><AppVersion>1.0</AppVersion></Properties>`)
	return []byte(b.String())
}

func styles(ns namespaces, extra []Style) []byte {
	var b strings.Builder
	b.WriteString(xmlPI)
	fmt.Fprintf(&b, `<w:styles xmlns:w="%s">`, ns.w)
	b.WriteString(`<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr/></w:pPrDefault></w:docDefaults>`)
	b.WriteString(`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>`)
	b.WriteString(`<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/></w:style>`)
	builtin := []Style{
		{ID: StyleTitle, Name: "Title", BasedOn: StyleNormal, Size: 28},
		{ID: StyleHeading1, Name: "heading 1", BasedOn: StyleNormal, Bold: true, Size: 16, Level: 1},
		{ID: StyleHeading2, Name: "heading 2", BasedOn: StyleHeading1, Size: 13, Level: 2},
		{ID: StyleListParagraph, Name: "List Paragraph", BasedOn: StyleNormal},
	}
	for _, s := range append(builtin, extra...) {
		b.WriteString(`<w:style w:type="paragraph" w:styleId="`)
		escape(&b, s.ID)
		b.WriteString(`"><w:name w:val="`)
		escape(&b, s.Name)
		b.WriteString(`"/>`)
		if s.BasedOn != "" {
			b.WriteString(`<w:basedOn w:val="`)
			escape(&b, s.BasedOn)
			b.WriteString(`"/>`)
		}
		b.WriteString(`<w:qFormat/>`)
		if s.Level > 0 {
			fmt.Fprintf(&b, `<w:pPr><w:outlineLvl w:val="%d"/></w:pPr>`, s.Level-1)
		}
		if s.Bold || s.Size > 0 {
			b.WriteString(`<w:rPr>`)
			if s.Bold {
				b.WriteString(`<w:b/>`)
			}
			if s.Size > 0 {
				hp := halfPoints(s.Size)
				fmt.Fprintf(&b, `<w:sz w:val="%s"/><w:szCs w:val="%s"/>`, hp, hp)
			}
			b.WriteString(`</w:rPr>`)
		}
		b.WriteString(`</w:style>`)
	}
	b.WriteString(`</w:styles>`)
	return []byte(b.String())
}

func numbering(ns namespaces) []byte {
	var b strings.Builder
	b.WriteString(xmlPI)
	fmt.Fprintf(&b, `<w:numbering xmlns:w="%s">`, ns.w)
	b.WriteString(`<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="hybridMultilevel"/>`)
	b.WriteString(`<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="` + "\uF0B7" + `"/><w:lvlJc w:val="left"/>`)
	b.WriteString(`<w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr><w:rPr><w:rFonts w:ascii="Symbol" w:hAnsi="Symbol" w:hint="default"/></w:rPr></w:lvl>`)
	b.WriteString(`</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>`)
	return []byte(b.String())
}

// halfPoints formats a size in points as w:sz's half-points.
func halfPoints(pt float64) string {
	return strconv.FormatFloat(pt*2, 'f', 0, 64)
}

// gen writes the story parts (document, headers, footers).
type gen struct {
	ns        namespaces
	shape     int  // text boxes written so far, for unique ids
	shapeType bool // the VML text-box shape type is written in this part
}

func (g *gen) root(tag string) string {
	g.shapeType = false
	return fmt.Sprintf(`<w:%s xmlns:w="%s" xmlns:r="%s" xmlns:wp="%s" xmlns:a="%s" xmlns:mc="%s" xmlns:wps="%s" xmlns:v="%s" xmlns:o="%s" xmlns:w14="%s" mc:Ignorable="w14"%s>`,
		tag, g.ns.w, g.ns.r, g.ns.wp, g.ns.a, nsMC, nsWPS, nsV, nsO, nsW14, g.ns.conformance)
}

func (g *gen) document(body []Block, refs string) []byte {
	var b strings.Builder
	b.WriteString(xmlPI)
	b.WriteString(g.root("document"))
	b.WriteString(`<w:body>`)
	g.blocks(&b, body)
	b.WriteString(`<w:sectPr>`)
	b.WriteString(refs)
	b.WriteString(`<w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/></w:sectPr>`)
	b.WriteString(`</w:body></w:document>`)
	return []byte(b.String())
}

func (g *gen) story(tag string, blocks []Block) []byte {
	var b strings.Builder
	b.WriteString(xmlPI)
	b.WriteString(g.root(tag))
	g.blocks(&b, blocks)
	if len(blocks) == 0 {
		b.WriteString(`<w:p/>`)
	}
	fmt.Fprintf(&b, `</w:%s>`, tag)
	return []byte(b.String())
}

func (g *gen) blocks(b *strings.Builder, blocks []Block) {
	for _, bl := range blocks {
		switch bl := bl.(type) {
		case Paragraph:
			g.paragraph(b, bl)
		case *Paragraph:
			g.paragraph(b, *bl)
		case Table:
			g.table(b, bl)
		case *Table:
			g.table(b, *bl)
		}
	}
}

func (g *gen) table(b *strings.Builder, t Table) {
	cols := 0
	for _, row := range t.Rows {
		cols = max(cols, len(row))
	}
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>`)
	for range cols {
		b.WriteString(`<w:gridCol w:w="2000"/>`)
	}
	b.WriteString(`</w:tblGrid>`)
	for _, row := range t.Rows {
		b.WriteString(`<w:tr>`)
		for _, cell := range row {
			b.WriteString(`<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/></w:tcPr>`)
			for _, p := range cell {
				g.paragraph(b, p)
			}
			if len(cell) == 0 {
				b.WriteString(`<w:p/>`)
			}
			b.WriteString(`</w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl>`)
}

func (g *gen) paragraph(b *strings.Builder, p Paragraph) {
	b.WriteString(`<w:p>`)
	if p.Style != "" || p.List {
		b.WriteString(`<w:pPr>`)
		if p.Style != "" {
			b.WriteString(`<w:pStyle w:val="`)
			escape(b, p.Style)
			b.WriteString(`"/>`)
		}
		if p.List {
			b.WriteString(`<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>`)
		}
		b.WriteString(`</w:pPr>`)
	}
	for _, r := range p.Runs {
		g.run(b, r)
	}
	b.WriteString(`</w:p>`)
}

func (g *gen) run(b *strings.Builder, r Run) {
	b.WriteString(`<w:r>`)
	if r.Bold || r.Italic || r.Caps || r.Hidden || r.Color != "" || r.Size > 0 {
		b.WriteString(`<w:rPr>`)
		if r.Bold {
			b.WriteString(`<w:b/>`)
		}
		if r.Italic {
			b.WriteString(`<w:i/>`)
		}
		if r.Caps {
			b.WriteString(`<w:caps/>`)
		}
		if r.Hidden {
			b.WriteString(`<w:vanish/>`)
		}
		if r.Color != "" {
			b.WriteString(`<w:color w:val="`)
			escape(b, r.Color)
			b.WriteString(`"/>`)
		}
		if r.Size > 0 {
			hp := halfPoints(r.Size)
			fmt.Fprintf(b, `<w:sz w:val="%s"/><w:szCs w:val="%s"/>`, hp, hp)
		}
		b.WriteString(`</w:rPr>`)
	}
	if r.TextBox != nil {
		g.textBox(b, r.TextBox)
	}
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			b.WriteString(`<w:t xml:space="preserve">`)
			escape(b, text.String())
			b.WriteString(`</w:t>`)
			text.Reset()
		}
	}
	for _, c := range r.Text {
		var el string
		switch c {
		case '\t':
			el = `<w:tab/>`
		case '\n':
			el = `<w:br/>`
		case '\u00AD':
			el = `<w:softHyphen/>`
		case '\u2011':
			el = `<w:noBreakHyphen/>`
		default:
			text.WriteRune(c)
			continue
		}
		flush()
		b.WriteString(el)
	}
	flush()
	b.WriteString(`</w:r>`)
}

// textBox writes an anchored text box as Word 2010 and later do: the
// DrawingML shape for current readers and a VML shape for older ones, both
// holding the same paragraphs.
func (g *gen) textBox(b *strings.Builder, paras []Paragraph) {
	g.shape++
	id := g.shape
	b.WriteString(`<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>`)
	fmt.Fprintf(b, `<wp:anchor distT="45720" distB="45720" distL="114300" distR="114300" simplePos="0" relativeHeight="%d" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">`, 251659264+id)
	b.WriteString(`<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>`)
	b.WriteString(`<wp:extent cx="2743200" cy="914400"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapSquare wrapText="bothSides"/>`)
	fmt.Fprintf(b, `<wp:docPr id="%d" name="Text Box %d"/><wp:cNvGraphicFramePr/>`, id, id)
	b.WriteString(`<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvSpPr txBox="1"/>`)
	b.WriteString(`<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2743200" cy="914400"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></wps:spPr>`)
	b.WriteString(`<wps:txbx><w:txbxContent>`)
	g.textBoxParagraphs(b, paras)
	b.WriteString(`</w:txbxContent></wps:txbx><wps:bodyPr rot="0" vert="horz" wrap="square" anchor="t" anchorCtr="0"><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>`)
	b.WriteString(`<mc:Fallback><w:pict>`)
	if !g.shapeType {
		g.shapeType = true
		b.WriteString(`<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>`)
	}
	fmt.Fprintf(b, `<v:shape id="Text Box %d" o:spid="_x0000_s%d" type="#_x0000_t202" style="position:absolute;margin-left:0;margin-top:0;width:216pt;height:72pt;z-index:%d" filled="f" stroked="f">`, id, 1025+id, id)
	b.WriteString(`<v:textbox><w:txbxContent>`)
	g.textBoxParagraphs(b, paras)
	b.WriteString(`</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent>`)
}

func (g *gen) textBoxParagraphs(b *strings.Builder, paras []Paragraph) {
	for _, p := range paras {
		g.paragraph(b, p)
	}
	if len(paras) == 0 {
		b.WriteString(`<w:p/>`)
	}
}

// escape writes s with XML's special characters escaped and characters XML
// 1.0 cannot hold dropped.
func escape(b *strings.Builder, s string) {
	for _, c := range s {
		switch {
		case c == '<':
			b.WriteString("&lt;")
		case c == '>':
			b.WriteString("&gt;")
		case c == '&':
			b.WriteString("&amp;")
		case c == '"':
			b.WriteString("&quot;")
		case c == '\t' || c == '\n' || c == '\r' || c >= 0x20 && c != 0xFFFE && c != 0xFFFF && (c < 0xD800 || c > 0xDFFF):
			b.WriteRune(c)
		}
	}
}
