package pdftext

import (
	"bytes"
	"math"

	"github.com/ledongthuc/pdf"

	"sift/parser/internal/layout"
)

// A matrix [a b c d e f] maps (x, y) to (ax + cy + e, bx + dy + f).
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m followed by n.
func mul(m, n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2],
		m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2],
		m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4],
		m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func (m matrix) apply(x, y float64) (float64, float64) {
	return m[0]*x + m[2]*y + m[4], m[1]*x + m[3]*y + m[5]
}

// A colour as RGB in [0,1]; known is false for patterns and colour spaces
// the extractor does not model (treated as visible).
type colour struct {
	r, g, b float64
	known   bool
}

var black = colour{known: true}

func (c colour) white() bool {
	return c.known && c.r >= 0.95 && c.g >= 0.95 && c.b >= 0.95
}

func (c colour) near(o colour) bool {
	return c.known && o.known && math.Abs(c.r-o.r) < 0.07 && math.Abs(c.g-o.g) < 0.07 && math.Abs(c.b-o.b) < 0.07
}

// A colour space as far as text visibility needs: the number of
// components, and how to read them.
type cspace struct {
	kind byte // 'G' gray, 'R' rgb, 'K' cmyk, 'S' separation (tint), 'U' unknown
	n    int
}

var (
	csGray = cspace{'G', 1}
	csRGB  = cspace{'R', 3}
	csCMYK = cspace{'K', 4}
)

func (cs cspace) colour(v []float64) colour {
	get := func(i int) float64 {
		if i < len(v) {
			return clamp01(v[i])
		}
		return 0
	}
	switch cs.kind {
	case 'G':
		g := get(0)
		return colour{g, g, g, true}
	case 'R':
		return colour{get(0), get(1), get(2), true}
	case 'K':
		k := get(3)
		return colour{(1 - get(0)) * (1 - k), (1 - get(1)) * (1 - k), (1 - get(2)) * (1 - k), true}
	case 'S':
		// A tint of a spot colour: no ink is white, any ink is taken as
		// visible (its colour is not modelled).
		if len(v) > 0 && v[0] <= 0.001 {
			return colour{1, 1, 1, true}
		}
		return colour{}
	}
	return colour{}
}

func clamp01(v float64) float64 {
	if v < 0 {
		return 0
	}
	if v > 1 {
		return 1
	}
	return v
}

type gstate struct {
	ctm           matrix
	fill, stroke  colour
	fillCS        cspace
	strokeCS      cspace
	fillAlpha     float64
	tc, tw, th    float64
	tl, tfs, rise float64
	font          *font
	tr            int
}

// A painted area: a filled path's bounding box or an image.
type paint struct {
	x0, y0, x1, y1 float64 // top-origin page coordinates
	c              colour
	image          bool
}

// A glyph as drawn, in top-origin page coordinates.
type glyph struct {
	text   string
	x0, x1 float64 // left and right along the baseline (horizontal text)
	y      float64 // baseline
	y1     float64 // baseline at the glyph's end (differs for rotated text)
	size   float64
	font   *font
	space  bool
	bold   bool
	hidden string
	rot    bool  // not horizontal left-to-right
	run    int32 // text-showing operation, for rotated text
}

// resources wraps a resource dictionary with its lookups cached.
type resources struct {
	v       pdf.Value
	fontDir pdf.Value // v's /Font dictionary, once fontDirOK
	fonts   map[string]*font
	gstates map[string]extGS
	xobjs   map[string]pdf.Value
	spaces  map[string]cspace

	fontDirOK bool
}

func newResources(v pdf.Value) *resources {
	return &resources{v: v, fonts: make(map[string]*font)}
}

// A form XObject read once per document.
type form struct {
	data   []byte
	res    *resources
	matrix *matrix
}

// What an ExtGState dictionary sets that the extractor models.
type extGS struct {
	alpha    float64
	hasAlpha bool
	font     *font
	size     float64
}

// A page being interpreted.
type interp struct {
	x      *extractor
	page   int
	w, h   float64 // displayed page size
	gs     gstate
	stack  []gstate
	tm     matrix
	tlm    matrix
	glyphs []glyph
	paints []paint
	bands  [][]int32 // paint indices by 16-point band of the page height
	path   struct {
		x0, y0, x1, y1 float64
		ok             bool
	}
	forms  []string // form XObjects being run, for cycle detection
	runs   int32
	ops    int
	nums   []float64
	broken bool
}

const (
	maxPageOps    = 3_000_000
	maxPageGlyphs = 300_000
	maxPaints     = 200_000
	bandH         = 16.0
	maxFormDepth  = 12
)

func newGState(base matrix) gstate {
	return gstate{ctm: base, fill: black, stroke: black, fillCS: csGray, strokeCS: csGray, fillAlpha: 1, th: 1}
}

// run interprets one content stream with the given resources.
func (p *interp) run(data []byte, res *resources) error {
	l := lexer{b: data}
	var stk []operand
	for {
		o := l.next()
		if o.kind == tEOF {
			return nil
		}
		if o.kind != tOp {
			if o.kind != tArrEnd && o.kind != tDictEnd && len(stk) < 64 {
				stk = append(stk, o)
			}
			continue
		}
		p.ops++
		if p.ops%4096 == 0 {
			if err := p.x.ctx.Err(); err != nil {
				return err
			}
		}
		if p.ops > maxPageOps {
			p.x.warnf("page %d: stopped after %d operators", p.page, maxPageOps)
			return nil
		}
		if o.s == "BI" {
			p.inlineImage(&l)
			stk = stk[:0]
			continue
		}
		if err := p.op(o.s, stk, res); err != nil {
			return err
		}
		stk = stk[:0]
	}
}

// inlineImage skips "BI dict ID data EI" and records the painted area.
func (p *interp) inlineImage(l *lexer) {
	for {
		o := l.next()
		if o.kind == tEOF {
			return
		}
		if o.kind == tOp && o.s == "ID" {
			break
		}
	}
	if l.pos < len(l.b) {
		l.pos++ // the single white-space byte after ID
	}
	// The data ends at "EI" between white space; look for the first such
	// occurrence followed by something that looks like an operator.
	rest := l.b[l.pos:]
	off := 0
	for {
		i := bytes.Index(rest[off:], []byte("EI"))
		if i < 0 {
			l.pos = len(l.b)
			return
		}
		at := off + i
		before := at == 0 || isWhite(rest[at-1])
		after := at+2 >= len(rest) || isWhite(rest[at+2])
		if before && after {
			l.pos += at + 2
			p.addImage()
			return
		}
		off = at + 2
	}
}

func (p *interp) addImage() {
	m := p.gs.ctm
	x0, y0 := m.apply(0, 0)
	x1, y1 := m.apply(1, 1)
	x2, y2 := m.apply(0, 1)
	x3, y3 := m.apply(1, 0)
	p.addPaint(paint{
		x0: math.Min(math.Min(x0, x1), math.Min(x2, x3)), x1: math.Max(math.Max(x0, x1), math.Max(x2, x3)),
		y0: p.h - math.Max(math.Max(y0, y1), math.Max(y2, y3)), y1: p.h - math.Min(math.Min(y0, y1), math.Min(y2, y3)),
		image: true,
	})
}

func (p *interp) addPaint(pt paint) {
	if len(p.paints) >= maxPaints {
		return
	}
	if pt.x1-pt.x0 < 1 || pt.y1-pt.y0 < 1 {
		return
	}
	idx := int32(len(p.paints))
	p.paints = append(p.paints, pt)
	if p.bands == nil {
		p.bands = make([][]int32, int(p.h/bandH)+2)
	}
	b0, b1 := p.band(pt.y0), p.band(pt.y1)
	for b := b0; b <= b1; b++ {
		p.bands[b] = append(p.bands[b], idx)
	}
}

func (p *interp) band(y float64) int {
	b := int(y / bandH)
	if b < 0 || y < 0 {
		return 0
	}
	if b >= len(p.bands) {
		return len(p.bands) - 1
	}
	return b
}

// paintAt returns the index of the last paint covering (x, y), or -1.
// Only paints made before index limit count.
func (p *interp) paintAt(x, y float64, limit int, accept func(*paint) bool) int {
	if p.bands == nil {
		return -1
	}
	list := p.bands[p.band(y)]
	for i := len(list) - 1; i >= 0; i-- {
		k := int(list[i])
		if k >= limit {
			continue
		}
		pt := &p.paints[k]
		if x >= pt.x0 && x <= pt.x1 && y >= pt.y0 && y <= pt.y1 && (accept == nil || accept(pt)) {
			return k
		}
	}
	return -1
}

func (p *interp) pathPoint(x, y float64) {
	dx, dy := p.gs.ctm.apply(x, y)
	dy = p.h - dy
	if !p.path.ok {
		p.path.x0, p.path.x1, p.path.y0, p.path.y1, p.path.ok = dx, dx, dy, dy, true
		return
	}
	p.path.x0 = math.Min(p.path.x0, dx)
	p.path.x1 = math.Max(p.path.x1, dx)
	p.path.y0 = math.Min(p.path.y0, dy)
	p.path.y1 = math.Max(p.path.y1, dy)
}

func nums(stk []operand, buf []float64) []float64 {
	buf = buf[:0]
	for _, o := range stk {
		if o.kind == tNum {
			buf = append(buf, o.n)
		}
	}
	return buf
}

func (p *interp) op(op string, stk []operand, res *resources) error {
	n := nums(stk, p.nums)
	p.nums = n
	arg := func(i int) float64 {
		if i < len(n) {
			return n[i]
		}
		return 0
	}
	gs := &p.gs
	switch op {
	case "q":
		if len(p.stack) < 256 {
			p.stack = append(p.stack, p.gs)
		}
	case "Q":
		if k := len(p.stack); k > 0 {
			p.gs = p.stack[k-1]
			p.stack = p.stack[:k-1]
		}
	case "cm":
		if len(n) == 6 {
			gs.ctm = mul(matrix{n[0], n[1], n[2], n[3], n[4], n[5]}, gs.ctm)
		}
	case "BT":
		p.tm, p.tlm = identity, identity
	case "ET":
	case "Tc":
		gs.tc = arg(0)
	case "Tw":
		gs.tw = arg(0)
	case "Tz":
		gs.th = arg(0) / 100
	case "TL":
		gs.tl = arg(0)
	case "Ts":
		gs.rise = arg(0)
	case "Tr":
		gs.tr = int(arg(0))
	case "Tf":
		gs.tfs = arg(0)
		if len(stk) > 0 && stk[0].kind == tName {
			gs.font = p.font(res, stk[0].s)
		}
	case "Td":
		p.tlm = mul(matrix{1, 0, 0, 1, arg(0), arg(1)}, p.tlm)
		p.tm = p.tlm
	case "TD":
		gs.tl = -arg(1)
		p.tlm = mul(matrix{1, 0, 0, 1, arg(0), arg(1)}, p.tlm)
		p.tm = p.tlm
	case "Tm":
		if len(n) == 6 {
			p.tlm = matrix{n[0], n[1], n[2], n[3], n[4], n[5]}
			p.tm = p.tlm
		}
	case "T*":
		p.nextLine()
	case "Tj":
		if len(stk) > 0 && stk[len(stk)-1].kind == tString {
			p.show(stk[len(stk)-1].s)
		}
	case "'":
		p.nextLine()
		if len(stk) > 0 && stk[len(stk)-1].kind == tString {
			p.show(stk[len(stk)-1].s)
		}
	case "\"":
		if len(n) >= 2 {
			gs.tw, gs.tc = n[0], n[1]
		}
		p.nextLine()
		if len(stk) > 0 && stk[len(stk)-1].kind == tString {
			p.show(stk[len(stk)-1].s)
		}
	case "TJ":
		if len(stk) > 0 && stk[len(stk)-1].kind == tArray {
			p.runs++
			for _, e := range stk[len(stk)-1].a {
				switch e.kind {
				case tString:
					p.showRun(e.s)
				case tNum:
					tx := -e.n / 1000 * gs.tfs * gs.th
					p.advance(tx)
				}
			}
		}
	case "g":
		gs.fillCS = csGray
		gs.fill = csGray.colour(n)
	case "G":
		gs.strokeCS = csGray
		gs.stroke = csGray.colour(n)
	case "rg":
		gs.fillCS = csRGB
		gs.fill = csRGB.colour(n)
	case "RG":
		gs.strokeCS = csRGB
		gs.stroke = csRGB.colour(n)
	case "k":
		gs.fillCS = csCMYK
		gs.fill = csCMYK.colour(n)
	case "K":
		gs.strokeCS = csCMYK
		gs.stroke = csCMYK.colour(n)
	case "cs":
		if len(stk) > 0 && stk[0].kind == tName {
			gs.fillCS = p.colourSpace(res, stk[0].s)
			gs.fill = gs.fillCS.initial()
		}
	case "CS":
		if len(stk) > 0 && stk[0].kind == tName {
			gs.strokeCS = p.colourSpace(res, stk[0].s)
			gs.stroke = gs.strokeCS.initial()
		}
	case "sc", "scn":
		if len(stk) > 0 && stk[len(stk)-1].kind == tName {
			gs.fill = colour{} // a pattern
		} else {
			gs.fill = gs.fillCS.colour(n)
		}
	case "SC", "SCN":
		if len(stk) > 0 && stk[len(stk)-1].kind == tName {
			gs.stroke = colour{}
		} else {
			gs.stroke = gs.strokeCS.colour(n)
		}
	case "gs":
		if len(stk) > 0 && stk[0].kind == tName {
			p.extGState(res, stk[0].s)
		}
	case "m", "l":
		p.pathPoint(arg(0), arg(1))
	case "c":
		p.pathPoint(arg(0), arg(1))
		p.pathPoint(arg(2), arg(3))
		p.pathPoint(arg(4), arg(5))
	case "v", "y":
		p.pathPoint(arg(0), arg(1))
		p.pathPoint(arg(2), arg(3))
	case "re":
		x, y, w, h := arg(0), arg(1), arg(2), arg(3)
		p.pathPoint(x, y)
		p.pathPoint(x+w, y+h)
		p.pathPoint(x+w, y)
		p.pathPoint(x, y+h)
	case "f", "F", "f*", "B", "B*", "b", "b*":
		if p.path.ok && gs.fillAlpha > 0 {
			p.addPaint(paint{x0: p.path.x0, y0: p.path.y0, x1: p.path.x1, y1: p.path.y1, c: gs.fill})
		}
		p.path.ok = false
	case "S", "s", "n":
		p.path.ok = false
	case "Do":
		if len(stk) > 0 && stk[0].kind == tName {
			return p.doXObject(res, stk[0].s)
		}
	}
	return nil
}

func (cs cspace) initial() colour {
	switch cs.kind {
	case 'G', 'R':
		return black
	case 'K':
		return black
	}
	return colour{}
}

func (p *interp) nextLine() {
	p.tlm = mul(matrix{1, 0, 0, 1, 0, -p.gs.tl}, p.tlm)
	p.tm = p.tlm
}

func (p *interp) advance(tx float64) {
	p.tm[4] += tx * p.tm[0]
	p.tm[5] += tx * p.tm[1]
}

func (p *interp) show(s string) {
	p.runs++
	p.showRun(s)
}

// showRun draws a string with the current text state and moves the pen.
func (p *interp) showRun(s string) {
	gs := &p.gs
	f := gs.font
	if f == nil {
		f = p.x.defaultFont()
	}
	m := mul(p.tm, gs.ctm)
	size := math.Abs(gs.tfs) * math.Hypot(m[2], m[3]) * f.sizeScale
	horizontal := m[0] > 0 && math.Abs(m[1]) <= 0.05*m[0]
	reason := ""
	switch {
	case size < 2:
		reason = layout.ReasonTinyFont
	case gs.tr == 3 || gs.tr == 7:
		reason = layout.ReasonRenderMode
	case gs.fillAlpha == 0 && gs.tr != 1 && gs.tr != 5:
		reason = layout.ReasonRenderMode
	}
	col := gs.fill
	if gs.tr == 1 || gs.tr == 5 {
		col = gs.stroke
	}
	bold := f.bold || gs.tr == 2 || gs.tr == 6
	pen := 0.0
	f.decode(s, func(c code) {
		w := c.width * gs.tfs
		adv := w + gs.tc
		if c.space {
			adv += gs.tw
		}
		adv *= gs.th
		switch {
		case c.text == "":
			f.unmapped++
		case junk(c.text):
			f.junk++
		default:
			f.mapped++
		}
		if c.text != "" && len(p.glyphs) < maxPageGlyphs {
			x0, y0 := m.apply(pen, gs.rise)
			x1, y1 := m.apply(pen+w*gs.th, gs.rise)
			g := glyph{text: c.text, size: size, font: f, bold: bold, run: p.runs, space: c.text == " " || c.text == "\u00a0"}
			g.x0, g.x1, g.y, g.y1 = x0, x1, p.h-y0, p.h-y1
			g.rot = !horizontal
			if !g.space {
				g.hidden = p.visibility(&g, col, y1)
				if g.hidden == "" || g.hidden == layout.ReasonWhiteText || g.hidden == layout.ReasonBackgroundColor {
					if reason != "" {
						g.hidden = reason
					}
				}
			}
			p.glyphs = append(p.glyphs, g)
		}
		pen += adv
	})
	p.advance(pen)
}

// visibility returns why a glyph cannot be seen, or "".
func (p *interp) visibility(g *glyph, col colour, y1 float64) string {
	top := g.y - g.size*0.8
	bottom := g.y + g.size*0.2
	x0, x1 := g.x0, g.x1
	if x1 < x0 {
		x0, x1 = x1, x0
	}
	if g.rot {
		yy := p.h - y1
		top, bottom = math.Min(g.y, yy)-g.size*0.5, math.Max(g.y, yy)+g.size*0.5
	}
	if x1 <= 0 || x0 >= p.w || bottom <= 0 || top >= p.h {
		return layout.ReasonOutsidePage
	}
	cx, cy := (x0+x1)/2, g.y-g.size*0.3
	if k := p.paintAt(cx, cy, len(p.paints), nil); k >= 0 {
		pt := &p.paints[k]
		if pt.image || !pt.c.known {
			return ""
		}
		if col.near(pt.c) {
			if col.white() {
				return layout.ReasonWhiteText
			}
			return layout.ReasonBackgroundColor
		}
		return ""
	}
	if col.white() {
		return layout.ReasonWhiteText
	}
	return ""
}

func (p *interp) font(res *resources, name string) *font {
	if f, ok := res.fonts[name]; ok {
		return f
	}
	// The /Font dictionary is resolved once: when it is an indirect object
	// the library reads it from the file again on every Key.
	if !res.fontDirOK {
		res.fontDir, res.fontDirOK = res.v.Key("Font"), true
	}
	fv := res.fontDir.Key(name)
	var f *font
	if fv.Kind() == pdf.Dict {
		f = p.x.fontIn(fv, res.fontDir)
	} else {
		p.x.warnf("page %d: font %s not found", p.page, name)
	}
	res.fonts[name] = f
	return f
}

func (p *interp) colourSpace(res *resources, name string) cspace {
	switch name {
	case "DeviceGray", "G", "CalGray":
		return csGray
	case "DeviceRGB", "RGB", "CalRGB":
		return csRGB
	case "DeviceCMYK", "CMYK":
		return csCMYK
	case "Pattern":
		return cspace{'U', 0}
	}
	if cs, ok := res.spaces[name]; ok {
		return cs
	}
	cs := csFromValue(res.v.Key("ColorSpace").Key(name), 0)
	if res.spaces == nil {
		res.spaces = make(map[string]cspace)
	}
	res.spaces[name] = cs
	return cs
}

func csFromValue(v pdf.Value, depth int) cspace {
	switch v.Kind() {
	case pdf.Name:
		switch v.Name() {
		case "DeviceGray", "CalGray":
			return csGray
		case "DeviceRGB", "CalRGB":
			return csRGB
		case "DeviceCMYK":
			return csCMYK
		}
	case pdf.Array:
		switch v.Index(0).Name() {
		case "ICCBased":
			switch v.Index(1).Key("N").Int64() {
			case 1:
				return csGray
			case 3:
				return csRGB
			case 4:
				return csCMYK
			}
			if depth < 4 {
				if alt := v.Index(1).Key("Alternate"); !alt.IsNull() {
					return csFromValue(alt, depth+1)
				}
			}
		case "CalRGB":
			return csRGB
		case "CalGray":
			return csGray
		case "Separation":
			return cspace{'S', 1}
		case "DeviceN":
			return cspace{'U', v.Index(1).Len()}
		}
	}
	return cspace{'U', 0}
}

func (p *interp) extGState(res *resources, name string) {
	e, ok := res.gstates[name]
	if !ok {
		v := res.v.Key("ExtGState").Key(name)
		if v.Kind() == pdf.Dict {
			if ca := v.Key("ca"); ca.Kind() == pdf.Integer || ca.Kind() == pdf.Real {
				e.alpha, e.hasAlpha = ca.Float64(), true
			}
			if fa := v.Key("Font"); fa.Kind() == pdf.Array && fa.Len() == 2 {
				if fd := fa.Index(0); fd.Kind() == pdf.Dict {
					e.font = p.x.fontIn(fd, fa)
					e.size = fa.Index(1).Float64()
				}
			}
		}
		if res.gstates == nil {
			res.gstates = make(map[string]extGS)
		}
		res.gstates[name] = e
	}
	if e.hasAlpha {
		p.gs.fillAlpha = e.alpha
	}
	if e.font != nil {
		p.gs.font, p.gs.tfs = e.font, e.size
	}
}

func (p *interp) doXObject(res *resources, name string) error {
	xv, ok := res.xobjs[name]
	if !ok {
		xv = res.v.Key("XObject").Key(name)
		if res.xobjs == nil {
			res.xobjs = make(map[string]pdf.Value)
		}
		res.xobjs[name] = xv
	}
	if xv.Kind() != pdf.Stream {
		return nil
	}
	switch xv.Key("Subtype").Name() {
	case "Image":
		p.addImage()
		return nil
	case "Form":
	default:
		return nil
	}
	key := xv.String()
	if len(p.forms) >= maxFormDepth {
		p.x.warnf("page %d: form XObjects nested too deep", p.page)
		return nil
	}
	for _, k := range p.forms {
		if k == key {
			p.x.warnf("page %d: form XObject %s draws itself", p.page, name)
			return nil
		}
	}
	fm := p.x.forms[key]
	if fm == nil {
		data, err := p.x.readStream(xv)
		if err != nil {
			if isFatal(err) {
				return err
			}
			p.x.warnf("page %d: form XObject %s: %v", p.page, name, err)
			return nil
		}
		fm = &form{data: data}
		if r := xv.Key("Resources"); r.Kind() == pdf.Dict {
			fm.res = newResources(r)
		}
		if mv := xv.Key("Matrix"); mv.Len() == 6 {
			fm.matrix = new(matrix)
			for i := range fm.matrix {
				fm.matrix[i] = mv.Index(i).Float64()
			}
		}
		p.x.forms[key] = fm
	}
	data := fm.data
	sub := res
	if fm.res != nil {
		sub = fm.res
	}
	saved := p.gs
	savedStack := len(p.stack)
	savedTm, savedTlm := p.tm, p.tlm
	if fm.matrix != nil {
		p.gs.ctm = mul(*fm.matrix, p.gs.ctm)
	}
	p.forms = append(p.forms, key)
	err := p.run(data, sub)
	p.forms = p.forms[:len(p.forms)-1]
	p.gs = saved
	if len(p.stack) > savedStack {
		p.stack = p.stack[:savedStack]
	}
	p.tm, p.tlm = savedTm, savedTlm
	return err
}

// junk reports text that is only control or private-use code points: what a
// font with no real mapping decodes to.
func junk(t string) bool {
	for _, r := range t {
		if r >= 0x20 && !(r >= 0x7f && r < 0xa0) && !(r >= 0xe000 && r <= 0xf8ff) && r < 0xf0000 && r != 0xfffd {
			return false
		}
	}
	return true
}
