package docxtext

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"sift/parser/internal/layout"
)

// Namespaces matched. Elements are matched on local names within these;
// an undeclared "w" prefix is taken for WordprocessingML.
var (
	nsW = map[string]bool{
		"http://schemas.openxmlformats.org/wordprocessingml/2006/main": true,
		"http://purl.oclc.org/ooxml/wordprocessingml/main":             true,
		"w": true,
	}
	nsMath = map[string]bool{
		"http://schemas.openxmlformats.org/officeDocument/2006/math": true,
		"http://purl.oclc.org/ooxml/officeDocument/math":             true,
	}
)

const nsMC = "http://schemas.openxmlformats.org/markup-compatibility/2006"

// walker reads one story part (the body, a header, a footer, the notes)
// from a stream of XML tokens into lines.
type walker struct {
	ctx     context.Context
	part    string
	dec     *xml.Decoder
	replay  [][]xml.Token // token queues of chosen mc:AlternateContent branches, innermost last
	tokens  int
	styles  *styleSheet
	whiteOK bool // white text may be reported hidden: nothing is drawn behind the text

	lines  []layout.Line
	hidden []layout.Hidden
	sink   *[]layout.Line // where finished paragraphs go
	paras  []*para        // open paragraphs, innermost last
	runs   []rprops       // properties of open runs, innermost last
	shade  []bool         // open tables and cells: shaded or not
	boxes  int            // depth in text boxes
	alts   int            // depth in recorded mc:AlternateContent

	groups  int     // shape groups opened so far
	group   []int   // open shape groups, innermost last
	xfrm    box     // the position of the shape being read
	lastBox lastBox // the text box read last
}

func newWalker(ctx context.Context, part string, data []byte, st *styleSheet, whiteOK bool) *walker {
	w := &walker{ctx: ctx, part: part, dec: newDecoder(data), styles: st, whiteOK: whiteOK}
	w.sink = &w.lines
	return w
}

// newDecoder returns a decoder for an XML part in UTF-8 or UTF-16.
func newDecoder(data []byte) *xml.Decoder {
	dec := xml.NewDecoder(bytes.NewReader(utf8Bytes(data)))
	dec.CharsetReader = charsetReader
	dec.Entity = xml.HTMLEntity
	return dec
}

// utf8Bytes returns XML text as UTF-8: a UTF-8 byte order mark is dropped,
// UTF-16 with a byte order mark is decoded.
func utf8Bytes(data []byte) []byte {
	switch {
	case bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")):
		return data[3:]
	case bytes.HasPrefix(data, []byte("\xFF\xFE")), bytes.HasPrefix(data, []byte("\xFE\xFF")):
		be := data[0] == 0xFE
		u := make([]uint16, 0, len(data)/2)
		for i := 2; i+1 < len(data); i += 2 {
			if be {
				u = append(u, uint16(data[i])<<8|uint16(data[i+1]))
			} else {
				u = append(u, uint16(data[i+1])<<8|uint16(data[i]))
			}
		}
		return []byte(string(utf16.Decode(u)))
	}
	return data
}

// charsetReader accepts the encodings utf8Bytes has already decoded.
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.ReplaceAll(label, "-", "")) {
	case "utf8", "utf16", "utf16le", "utf16be", "usascii", "ascii":
		return input, nil
	}
	return nil, fmt.Errorf("unsupported encoding %q", label)
}

// next returns the next token, from a replayed branch first.
func (w *walker) next() (xml.Token, error) {
	for len(w.replay) > 0 {
		top := w.replay[len(w.replay)-1]
		if len(top) > 0 {
			w.replay[len(w.replay)-1] = top[1:]
			return top[0], nil
		}
		w.replay = w.replay[:len(w.replay)-1]
	}
	w.tokens++
	if w.tokens%4096 == 0 {
		if err := w.ctx.Err(); err != nil {
			return nil, err
		}
	}
	tok, err := w.dec.Token()
	if err != nil {
		if err == io.EOF {
			return nil, err
		}
		return nil, w.malformed(err)
	}
	return tok, nil
}

func (w *walker) malformed(err error) error {
	var syn *xml.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Errorf("%w: %s: line %d: %s", layout.ErrMalformed, w.part, syn.Line, syn.Msg)
	}
	return fmt.Errorf("%w: %s: %v", layout.ErrMalformed, w.part, err)
}

// walk reads the part. root, when not "", is the local name the root
// element must have.
func (w *walker) walk(root string) error {
	for {
		tok, err := w.next()
		if err == io.EOF {
			return fmt.Errorf("%w: %s: no root element", layout.ErrMalformed, w.part)
		}
		if err != nil {
			return err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if root != "" && (se.Name.Local != root || !nsW[se.Name.Space]) {
			return fmt.Errorf("%w: %s: the root element is <%s>, not a WordprocessingML <%s>", layout.ErrMalformed, w.part, se.Name.Local, root)
		}
		if err := w.children(1, se.Name.Local); err != nil {
			if err == io.EOF {
				return fmt.Errorf("%w: %s: unexpected end of the part", layout.ErrMalformed, w.part)
			}
			return err
		}
		return nil
	}
}

// children reads the content of an element through its end tag.
func (w *walker) children(depth int, parent string) error {
	for {
		tok, err := w.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := w.element(t, depth+1, parent); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

// skip reads past the content of an element through its end tag.
func (w *walker) skip(depth int) error {
	for n := 0; ; {
		tok, err := w.next()
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			n++
			if depth+n > MaxDepth {
				return w.tooDeep()
			}
		case xml.EndElement:
			if n == 0 {
				return nil
			}
			n--
		}
	}
}

func (w *walker) tooDeep() error {
	return fmt.Errorf("%w: %s: XML nested deeper than %d elements", layout.ErrTooLarge, w.part, MaxDepth)
}

// skipped are WordprocessingML elements whose content is not text a reader
// sees: deletions, field codes, properties and their tracked changes,
// section properties, note and comment marks.
var skipped = map[string]bool{
	"del": true, "moveFrom": true, "delText": true, "instrText": true, "delInstrText": true,
	"sdtPr": true, "sdtEndPr": true, "sectPr": true, "rPrChange": true, "pPrChange": true,
	"tblPrChange": true, "trPrChange": true, "tcPrChange": true, "sectPrChange": true,
	"footnoteReference": true, "endnoteReference": true, "commentReference": true,
	"annotationRef": true, "fldData": true, "ffData": true, "tblGrid": true, "trPr": true,
	"customXmlPr": true, "smartTagPr": true, "commentRangeStart": true,
}

// element reads one element and its content.
func (w *walker) element(se xml.StartElement, depth int, parent string) error {
	if depth > MaxDepth {
		return w.tooDeep()
	}
	local := se.Name.Local
	switch {
	case se.Name.Space == nsMC && local == "AlternateContent":
		return w.alternate(depth)
	case nsMath[se.Name.Space] && local == "t":
		return w.text(depth)
	case !nsW[se.Name.Space]:
		return w.drawing(se, depth, parent)
	case skipped[local]:
		return w.skip(depth)
	}
	switch local {
	case "p":
		return w.paragraph(depth)
	case "pPr":
		if parent == "p" && len(w.paras) > 0 {
			return w.paraProps(w.paras[len(w.paras)-1], depth)
		}
		return w.skip(depth)
	case "r":
		return w.run(depth)
	case "rPr":
		if parent == "r" && len(w.runs) > 0 {
			return w.runProps(depth)
		}
		return w.skip(depth)
	case "t":
		return w.text(depth)
	case "tab", "ptab":
		if parent == "r" {
			w.add("\t")
		}
		return w.skip(depth)
	case "br", "cr":
		if parent == "r" {
			w.add("\n")
		}
		return w.skip(depth)
	case "noBreakHyphen":
		w.add("-")
		return w.skip(depth)
	case "sym":
		w.sym(se)
		return w.skip(depth)
	case "tbl", "tc":
		w.shade = append(w.shade, false)
		err := w.children(depth, local)
		w.shade = w.shade[:len(w.shade)-1]
		return err
	case "tblPr", "tcPr":
		return w.cellProps(depth)
	case "txbxContent":
		return w.textBox(depth)
	case "footnote", "endnote":
		switch attr(se, "type") {
		case "separator", "continuationSeparator", "continuationNotice":
			return w.skip(depth)
		}
	}
	return w.children(depth, local)
}

// alternate reads an mc:AlternateContent: one branch, never two. The first
// mc:Choice holding text is read, else the mc:Fallback: Word writes a text
// box twice, as DrawingML and as VML, and the text must be read once.
func (w *walker) alternate(depth int) error {
	if w.alts >= maxAltDepth {
		return w.firstChoice(depth)
	}
	w.alts++
	defer func() { w.alts-- }()
	type branch struct {
		toks     []xml.Token // the branch's content and its end tag
		text     bool
		fallback bool
	}
	var branches []branch
	for {
		tok, err := w.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space != nsMC || (t.Name.Local != "Choice" && t.Name.Local != "Fallback") {
				if err := w.skip(depth + 1); err != nil {
					return err
				}
				continue
			}
			toks, text, err := w.record(depth + 1)
			if err != nil {
				return err
			}
			branches = append(branches, branch{toks, text, t.Name.Local == "Fallback"})
		case xml.EndElement:
			chosen := -1
			for i, b := range branches {
				if b.text && (chosen < 0 || branches[chosen].fallback && !b.fallback) {
					chosen = i
				}
			}
			if chosen < 0 {
				return nil
			}
			w.replay = append(w.replay, branches[chosen].toks)
			return w.children(depth+1, "Choice")
		}
	}
}

// maxAltDepth bounds nested mc:AlternateContent that are recorded and
// replayed, so that nesting cannot multiply the work.
const maxAltDepth = 4

// firstChoice reads the first mc:Choice of an mc:AlternateContent as it
// streams, and skips the other branches.
func (w *walker) firstChoice(depth int) error {
	read := false
	for {
		tok, err := w.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if !read && t.Name.Space == nsMC && t.Name.Local == "Choice" {
				read = true
				if err := w.children(depth+1, "Choice"); err != nil {
					return err
				}
				continue
			}
			if err := w.skip(depth + 1); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

// record copies the tokens of an element's content through its end tag,
// and reports whether they hold text.
func (w *walker) record(depth int) (toks []xml.Token, text bool, err error) {
	n, inT := 0, 0
	for {
		tok, err := w.next()
		if err != nil {
			return nil, false, err
		}
		toks = append(toks, xml.CopyToken(tok))
		switch t := tok.(type) {
		case xml.StartElement:
			n++
			if depth+n > MaxDepth {
				return nil, false, w.tooDeep()
			}
			if t.Name.Local == "t" {
				inT++
			}
		case xml.EndElement:
			if n == 0 {
				return toks, text, nil
			}
			n--
			if t.Name.Local == "t" && inT > 0 {
				inT--
			}
		case xml.CharData:
			if inT > 0 && len(bytes.TrimSpace(t)) > 0 {
				text = true
			}
		}
	}
}

// para is a paragraph being read.
type para struct {
	style   string // style id
	outline int    // w:outlineLvl + 1; -1 stated body text; 0 unset
	list    tri
	shaded  bool
	segs    []seg
	after   []layout.Line // lines of text boxes anchored in the paragraph
}

// seg is text with the properties of its run.
type seg struct {
	text   string
	props  rprops
	hidden string // a layout.Reason*, or ""
}

func (w *walker) paragraph(depth int) error {
	p := &para{style: w.styles.defaultPara}
	w.paras = append(w.paras, p)
	err := w.children(depth, "p")
	w.paras = w.paras[:len(w.paras)-1]
	if err != nil {
		return err
	}
	w.emit(p)
	return nil
}

func (w *walker) paraProps(p *para, depth int) error {
	for {
		tok, err := w.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "pStyle":
				if v := attr(t, "val"); v != "" {
					p.style = v
				}
			case "outlineLvl":
				if v, err := strconv.Atoi(attr(t, "val")); err == nil && v >= 0 {
					p.outline = v + 1
					if v >= 9 {
						p.outline = -1
					}
				}
			case "numPr":
				if err := w.numPr(p, depth+1); err != nil {
					return err
				}
				continue
			case "shd":
				p.shaded = p.shaded || shading(t)
			}
			if err := w.skip(depth + 1); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

func (w *walker) numPr(p *para, depth int) error {
	for {
		tok, err := w.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "numId" {
				p.list = on
				if attr(t, "val") == "0" {
					p.list = off
				}
			}
			if err := w.skip(depth + 1); err != nil {
				return err
			}
		case xml.EndElement:
			if p.list == unset {
				p.list = on // a level without an id keeps the style's list
			}
			return nil
		}
	}
}

func (w *walker) run(depth int) error {
	style := w.styles.defaultPara
	if len(w.paras) > 0 {
		style = w.paras[len(w.paras)-1].style
	}
	w.runs = append(w.runs, w.styles.paragraphRun(style))
	err := w.children(depth, "r")
	w.runs = w.runs[:len(w.runs)-1]
	return err
}

// runProps reads a run's w:rPr and resolves the run's properties: document
// defaults, paragraph style, character style, direct formatting.
func (w *walker) runProps(depth int) error {
	var direct rprops
	for {
		tok, err := w.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			runProp(&direct, t)
			if err := w.skip(depth + 1); err != nil {
				return err
			}
		case xml.EndElement:
			r := &w.runs[len(w.runs)-1]
			if direct.rstyle != "" {
				*r = w.styles.runOf(direct.rstyle, *r)
			}
			*r = r.over(direct)
			return nil
		}
	}
}

// cellProps reads w:tblPr or w:tcPr for shading behind the text.
func (w *walker) cellProps(depth int) error {
	shaded := false
	for {
		tok, err := w.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "shd":
				shaded = shaded || shading(t)
			case "tblStyle":
				shaded = shaded || w.styles.shaded(attr(t, "val"))
			}
			if err := w.skip(depth + 1); err != nil {
				return err
			}
		case xml.EndElement:
			if shaded && len(w.shade) > 0 {
				w.shade[len(w.shade)-1] = true
			}
			return nil
		}
	}
}

// text reads a w:t (or m:t).
func (w *walker) text(depth int) error {
	for n := 0; ; {
		tok, err := w.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if n == 0 {
				w.add(string(t))
			}
		case xml.StartElement:
			n++
			if depth+n > MaxDepth {
				return w.tooDeep()
			}
		case xml.EndElement:
			if n == 0 {
				return nil
			}
			n--
		}
	}
}

// symbolFonts draw pictures, not letters.
var symbolFonts = []string{"symbol", "wingdings", "webdings", "zapf", "dingbats", "marlett", "mt extra", "fontawesome", "font awesome"}

// sym reads a w:sym: a character from a symbol font is dropped (it is a
// bullet or an icon); one from a text font is kept.
func (w *walker) sym(se xml.StartElement) {
	font := strings.ToLower(attr(se, "font"))
	for _, f := range symbolFonts {
		if strings.Contains(font, f) {
			return
		}
	}
	c, err := strconv.ParseUint(attr(se, "char"), 16, 32)
	if err != nil || c >= 0xE000 && c <= 0xF8FF || c < 0x20 || c > 0x10FFFF {
		return
	}
	w.add(string(rune(c)))
}

// textBox reads a w:txbxContent. Its paragraphs follow the paragraph the
// box is anchored in.
func (w *walker) textBox(depth int) error {
	saved := w.sink
	target := w.sink
	if len(w.paras) > 0 {
		target = &w.paras[len(w.paras)-1].after
	}
	var lines []layout.Line
	w.sink = &lines
	savedRuns, savedShade := w.runs, w.shade
	w.runs, w.shade = nil, nil
	w.boxes++
	geom := w.xfrm
	err := w.children(depth, "txbxContent")
	w.boxes--
	w.sink, w.runs, w.shade = saved, savedRuns, savedShade
	if err != nil {
		return err
	}
	group := 0
	if len(w.group) > 0 {
		group = w.group[len(w.group)-1]
	}
	w.placeBox(target, lines, geom, group)
	return nil
}

// box is a shape's offset and extent in EMUs within its group.
type box struct {
	x, y, cx, cy int64
	ok           bool
}

type lastBox struct {
	target *[]layout.Line
	index  int // of its line in *target
	group  int
	geom   box
}

// placeBox adds a text box's lines to target. PDF converters write each
// piece of text as a positioned box in a group, and split words where the
// PDF changed colour ("Emp" "loyment"): a one-line box that starts with a
// lower-case letter, overlaps the one-line box before it on the same
// baseline, and follows a letter in the same font is joined to it.
func (w *walker) placeBox(target *[]layout.Line, lines []layout.Line, geom box, group int) {
	prev := w.lastBox
	if len(lines) == 1 && group != 0 && prev.group == group && prev.target == target &&
		prev.index == len(*target)-1 && geom.ok && prev.geom.ok {
		last := &(*target)[prev.index]
		cur := lines[0]
		p := prev.geom
		sameRow := abs(geom.y-p.y)*5 < max(p.cy, 1) && abs(geom.cy-p.cy)*5 < max(p.cy, 1)
		overlaps := geom.x > p.x && geom.x < p.x+p.cx
		end, _ := utf8.DecodeLastRuneInString(last.Text)
		start, _ := utf8.DecodeRuneInString(cur.Text)
		if sameRow && overlaps && unicode.IsLetter(end) && unicode.IsLower(start) &&
			last.Size == cur.Size && last.Bold == cur.Bold && !strings.Contains(last.Text, " ") {
			last.Text += cur.Text
			geom = box{x: p.x, y: p.y, cx: geom.x + geom.cx - p.x, cy: p.cy, ok: true}
			w.lastBox = lastBox{target, prev.index, group, geom}
			return
		}
	}
	*target = append(*target, lines...)
	w.lastBox = lastBox{}
	if len(lines) == 1 {
		w.lastBox = lastBox{target, len(*target) - 1, group, geom}
	}
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// drawing reads an element outside WordprocessingML: DrawingML and VML
// shapes, whose positions are kept for placeBox.
func (w *walker) drawing(se xml.StartElement, depth int, parent string) error {
	switch local := se.Name.Local; {
	case local == "wgp" || local == "grpSp":
		w.groups++
		w.group = append(w.group, w.groups)
		err := w.children(depth, local)
		w.group = w.group[:len(w.group)-1]
		return err
	case local == "wsp":
		w.xfrm = box{}
	case parent == "xfrm" && local == "off":
		x, errX := strconv.ParseInt(attr(se, "x"), 10, 64)
		y, errY := strconv.ParseInt(attr(se, "y"), 10, 64)
		w.xfrm.x, w.xfrm.y, w.xfrm.ok = x, y, errX == nil && errY == nil
	case parent == "xfrm" && local == "ext":
		cx, errX := strconv.ParseInt(attr(se, "cx"), 10, 64)
		cy, errY := strconv.ParseInt(attr(se, "cy"), 10, 64)
		w.xfrm.cx, w.xfrm.cy = cx, cy
		w.xfrm.ok = w.xfrm.ok && errX == nil && errY == nil
	}
	return w.children(depth, se.Name.Local)
}

// add appends text to the open paragraph with the open run's properties.
// Text outside a paragraph is dropped.
func (w *walker) add(s string) {
	if len(w.paras) == 0 {
		return
	}
	p := w.paras[len(w.paras)-1]
	var r rprops
	if len(w.runs) > 0 {
		r = w.runs[len(w.runs)-1]
	} else {
		r = w.styles.paragraphRun(p.style)
	}
	p.segs = append(p.segs, seg{text: s, props: r, hidden: w.hiddenReason(p, r)})
}

// minVisibleSize is the smallest font size, in points, taken as readable.
const minVisibleSize = 2

// hiddenReason says why text with these properties cannot be seen, or "".
// White text counts only where nothing could be behind it: no shading on
// the run, paragraph, cell or table, not in a text box, and no graphic
// behind the text anywhere in the document.
func (w *walker) hiddenReason(p *para, r rprops) string {
	switch {
	case r.vanish.is():
		return layout.ReasonVanish
	case r.size > 0 && r.size < minVisibleSize:
		return layout.ReasonTinyFont
	case w.whiteOK && r.white.is() && !r.shaded.is() && !p.shaded && !w.styles.shaded(p.style) && w.boxes == 0 && !w.inShade():
		return layout.ReasonWhiteText
	}
	return ""
}

func (w *walker) inShade() bool {
	for _, s := range w.shade {
		if s {
			return true
		}
	}
	return false
}

// hasBackdrop reports whether a part draws a shape or picture behind the
// text, or sets a page colour, so that white text may be visible on it.
func hasBackdrop(data []byte) bool {
	for _, s := range []string{`behindDoc="1"`, `behindDoc="true"`, `behindDoc="on"`, `z-index:-`, `<w:background `} {
		if bytes.Contains(data, []byte(s)) {
			return true
		}
	}
	return false
}
