// Package pdftext extracts text with its layout from PDF files: words rebuilt
// from glyph positions, lines from baselines, columns in reading order, and
// text a reader cannot see set apart.
//
// The object layer is github.com/ledongthuc/pdf, fed a normalised copy of
// the file (see repair.go). Content streams are interpreted here (interp.go),
// fonts decoded here (font.go), and the glyphs assembled into lines in
// reading order (assemble.go).
package pdftext

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/ledongthuc/pdf"

	"sift/parser/internal/layout"
)

// Options are the limits for one document.
type Options struct {
	MaxPages        int   // pages read; more is layout.ErrTooLarge; 0 means 500
	MaxDecompressed int64 // bytes inflated from streams; more is layout.ErrTooLarge; 0 means 256 MiB
}

// Defaults for zero Options fields.
const (
	DefaultMaxPages        = 500
	DefaultMaxDecompressed = 256 << 20
)

// Extract reads the text of a PDF.
//
// It returns layout.ErrEncrypted for a file that needs a password,
// layout.ErrTooLarge past a limit, layout.ErrMalformed for a file it cannot
// repair, and ctx's error when ctx ends first. It never panics.
func Extract(ctx context.Context, data []byte, opts Options) (doc *layout.Document, err error) {
	defer func() {
		if r := recover(); r != nil {
			doc = nil
			err = fmt.Errorf("%w: internal error: %v\n%s", layout.ErrMalformed, r, firstLines(debug.Stack(), 12))
		}
	}()
	if opts.MaxPages <= 0 {
		opts.MaxPages = DefaultMaxPages
	}
	if opts.MaxDecompressed <= 0 {
		opts.MaxDecompressed = DefaultMaxDecompressed
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	x := &extractor{ctx: ctx, opts: opts, budget: opts.MaxDecompressed, fonts: make(map[string]*font), forms: make(map[string]*form)}
	return x.extract(data)
}

func firstLines(b []byte, n int) []byte {
	for i, c := range b {
		if c == '\n' {
			n--
			if n == 0 {
				return b[:i]
			}
		}
	}
	return b
}

// errLimit is the inflate limit being reached; fatal for the document.
var errLimit = fmt.Errorf("%w: decompressed data past the limit", layout.ErrTooLarge)

func isFatal(err error) bool {
	return errors.Is(err, layout.ErrTooLarge) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

type extractor struct {
	ctx      context.Context
	opts     Options
	budget   int64
	r        *pdf.Reader
	fonts    map[string]*font
	fontObjs map[uint64]*font // fonts by their own indirect object; see fontIn
	forms    map[string]*form
	glyphBuf []glyph // the last page's glyph slice, reused by the next
	deflt    *font
	warnings []string
	warned   map[string]bool
}

func (x *extractor) warnf(format string, args ...any) {
	w := fmt.Sprintf(format, args...)
	if x.warned == nil {
		x.warned = make(map[string]bool)
	}
	if x.warned[w] || len(x.warnings) >= 100 {
		return
	}
	x.warned[w] = true
	x.warnings = append(x.warnings, w)
}

// font returns the parsed font for a font dictionary, parsing each font
// object once per document.
func (x *extractor) font(v pdf.Value) (f *font) {
	key := v.String()
	if f, ok := x.fonts[key]; ok {
		return f
	}
	defer func() {
		if r := recover(); r != nil {
			x.warnf("font %s: unreadable: %v", v.Key("BaseFont").Name(), r)
			f = x.defaultFont()
			x.fonts[key] = f
		}
	}()
	f = x.loadFont(v)
	x.fonts[key] = f
	return f
}

// fontIn is font for a font dictionary v looked up in container (a /Font
// dictionary or an ExtGState /Font array). A font that is an indirect object
// of its own is remembered by its object number too, so its dictionary
// (Widths and all) is formatted into a cache key once per document rather
// than each time a page names it. The fonts stay keyed by their text, so
// equal font objects still share one font as before.
func (x *extractor) fontIn(v, container pdf.Value) *font {
	id, ok := ownObject(v, container)
	if !ok {
		return x.font(v)
	}
	if f, ok := x.fontObjs[id]; ok {
		return f
	}
	f := x.font(v)
	if x.fontObjs == nil {
		x.fontObjs = make(map[uint64]*font)
	}
	x.fontObjs[id] = f
	return f
}

// defaultFont stands in when text is shown with no usable font.
func (x *extractor) defaultFont() *font {
	if x.deflt == nil {
		f := &font{name: "Helvetica", scale: 0.001, sizeScale: 1, noWidths: true, afmName: "Helvetica"}
		for c := 0; c < 256; c++ {
			if r := stdEncoding[c]; r != 0 {
				f.enc[c] = string(r)
			}
		}
		x.deflt = f
	}
	return x.deflt
}

// readStream returns a stream's decoded data, charging the inflate budget.
func (x *extractor) readStream(v pdf.Value) ([]byte, error) {
	return x.readStreamPrefix(v, -1)
}

// readStreamPrefix reads at most max bytes of a stream (all when max < 0).
func (x *extractor) readStreamPrefix(v pdf.Value, max int64) (data []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			data, err = nil, fmt.Errorf("unreadable stream: %v", r)
		}
	}()
	if v.Kind() != pdf.Stream {
		return nil, fmt.Errorf("not a stream")
	}
	rd := v.Reader()
	defer rd.Close()
	lim := x.budget + 1
	if max >= 0 && max < lim {
		lim = max
	}
	var buf bytes.Buffer
	n, rerr := io.Copy(&buf, io.LimitReader(rd, lim))
	if max < 0 || n < max {
		if n > x.budget {
			x.budget = 0
			return nil, errLimit
		}
	}
	x.budget -= n
	if rerr != nil && n == 0 {
		return nil, rerr
	}
	return buf.Bytes(), nil
}

func (x *extractor) extract(data []byte) (*layout.Document, error) {
	norm, warnings, err := normalise(data, &x.budget)
	if err != nil {
		return nil, err
	}
	x.warnings = append(x.warnings, warnings...)
	r, err := openReader(norm)
	if err != nil {
		return nil, err
	}
	x.r = r
	doc := &layout.Document{}
	info := r.Trailer().Key("Info")
	doc.Producer = strings.TrimSpace(info.Key("Producer").Text())
	if doc.Producer == "" {
		doc.Producer = strings.TrimSpace(info.Key("Creator").Text())
	}
	pages, err := x.pages()
	if err != nil {
		return nil, err
	}
	if len(pages) == 0 {
		return nil, fmt.Errorf("%w: no pages found", layout.ErrMalformed)
	}
	doc.Pages = len(pages)
	var empty []int
	texty := 0
	for i, pg := range pages {
		if err := x.ctx.Err(); err != nil {
			return nil, err
		}
		lines, hidden, perr := x.page(i+1, pg)
		if perr != nil {
			if isFatal(perr) {
				return nil, perr
			}
			x.warnf("page %d: %v", i+1, perr)
		}
		if len(lines) == 0 {
			empty = append(empty, i+1)
		} else {
			texty++
		}
		doc.Lines = append(doc.Lines, lines...)
		doc.Hidden = append(doc.Hidden, hidden...)
	}
	switch {
	case len(pages) == 0:
		x.warnf("the document has no pages")
	case texty == 0 && x.undecodable() > 0:
		x.warnf("no readable text: the fonts have no usable Unicode mapping (%d glyphs dropped)", x.undecodable())
	case texty == 0:
		x.warnf("no visible text: the pages may be scanned images or text drawn as outlines")
	default:
		for _, p := range empty {
			x.warnf("page %d has no text", p)
		}
	}
	x.fontWarnings()
	doc.Warnings = x.warnings
	return doc, nil
}

// openReader hands the normalised bytes to the library.
func openReader(b []byte) (r *pdf.Reader, err error) {
	defer func() {
		if rec := recover(); rec != nil {
			r, err = nil, fmt.Errorf("%w: %v", layout.ErrMalformed, rec)
		}
	}()
	r, err = pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		msg := err.Error()
		if errors.Is(err, pdf.ErrInvalidPassword) || strings.Contains(msg, "encrypt") || strings.Contains(msg, "password") {
			return nil, fmt.Errorf("%w: %v", layout.ErrEncrypted, err)
		}
		return nil, fmt.Errorf("%w: %v", layout.ErrMalformed, err)
	}
	return r, nil
}

// A page to read, with its inherited attributes.
type pageRef struct {
	v      pdf.Value
	res    pdf.Value
	box    [4]float64
	rotate int
	hasBox bool
}

// pages walks the page tree, bounded in depth and size.
func (x *extractor) pages() (out []pageRef, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("%w: page tree: %v", layout.ErrMalformed, r)
		}
	}()
	root := x.r.Trailer().Key("Root")
	top := root.Key("Pages")
	if top.Kind() != pdf.Dict {
		return nil, fmt.Errorf("%w: no page tree", layout.ErrMalformed)
	}
	if c := top.Key("Count").Int64(); c > int64(x.opts.MaxPages) {
		return nil, fmt.Errorf("%w: %d pages, more than %d", layout.ErrTooLarge, c, x.opts.MaxPages)
	}
	nodes := 0
	var walk func(v pdf.Value, inh pageRef, depth int) error
	walk = func(v pdf.Value, inh pageRef, depth int) error {
		nodes++
		if depth > 32 || nodes > 4*x.opts.MaxPages+64 {
			return fmt.Errorf("%w: page tree too deep or cyclic", layout.ErrMalformed)
		}
		if r := v.Key("Resources"); r.Kind() == pdf.Dict {
			inh.res = r
		}
		if b, ok := rectOf(v.Key("MediaBox")); ok {
			inh.box, inh.hasBox = b, true
		}
		if b, ok := rectOf(v.Key("CropBox")); ok && inh.hasBox {
			inh.box = intersect(inh.box, b)
		}
		if rv := v.Key("Rotate"); rv.Kind() == pdf.Integer {
			inh.rotate = int(rv.Int64())
		}
		kids := v.Key("Kids")
		if v.Key("Type").Name() == "Page" || (kids.Kind() != pdf.Array && v.Key("Contents").Kind() != pdf.Null) {
			inh.v = v
			out = append(out, inh)
			if len(out) > x.opts.MaxPages {
				return fmt.Errorf("%w: more than %d pages", layout.ErrTooLarge, x.opts.MaxPages)
			}
			return nil
		}
		for i := 0; i < kids.Len(); i++ {
			if err := walk(kids.Index(i), inh, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(top, pageRef{box: [4]float64{0, 0, 612, 792}}, 0); err != nil {
		return nil, err
	}
	return out, nil
}

func rectOf(v pdf.Value) ([4]float64, bool) {
	if v.Kind() != pdf.Array || v.Len() != 4 {
		return [4]float64{}, false
	}
	var b [4]float64
	for i := range b {
		b[i] = v.Index(i).Float64()
	}
	if b[0] > b[2] {
		b[0], b[2] = b[2], b[0]
	}
	if b[1] > b[3] {
		b[1], b[3] = b[3], b[1]
	}
	if b[2]-b[0] < 1 || b[3]-b[1] < 1 {
		return b, false
	}
	return b, true
}

func intersect(a, b [4]float64) [4]float64 {
	r := [4]float64{math.Max(a[0], b[0]), math.Max(a[1], b[1]), math.Min(a[2], b[2]), math.Min(a[3], b[3])}
	if r[2]-r[0] < 1 || r[3]-r[1] < 1 {
		return a
	}
	return r
}

// page interprets one page and assembles its lines.
func (x *extractor) page(num int, pg pageRef) (lines []layout.Line, hidden []layout.Hidden, err error) {
	defer func() {
		if r := recover(); r != nil {
			lines, hidden, err = nil, nil, fmt.Errorf("unreadable: %v", r)
		}
	}()
	box := pg.box
	w, h := box[2]-box[0], box[3]-box[1]
	var base matrix
	switch ((pg.rotate % 360) + 360) % 360 {
	case 90:
		base = matrix{0, -1, 1, 0, -box[1], box[2]}
		w, h = h, w
	case 180:
		base = matrix{-1, 0, 0, -1, box[2], box[3]}
	case 270:
		base = matrix{0, 1, -1, 0, box[3], -box[0]}
		w, h = h, w
	default:
		base = matrix{1, 0, 0, 1, -box[0], -box[1]}
	}
	p := &interp{x: x, page: num, w: w, h: h, gs: newGState(base)}
	defer func() {
		// Nothing assemble returns points into the glyphs, so the next page
		// can draw into the same array.
		if p.glyphs != nil {
			x.glyphBuf = p.glyphs[:0]
		}
		p.glyphs = nil
	}()
	contents := pg.v.Key("Contents")
	var data []byte
	switch contents.Kind() {
	case pdf.Stream:
		data, err = x.readStream(contents)
	case pdf.Array:
		var buf bytes.Buffer
		for i := 0; i < contents.Len() && i < 10000; i++ {
			d, e := x.readStream(contents.Index(i))
			if e != nil {
				if isFatal(e) {
					return nil, nil, e
				}
				x.warnf("page %d: content stream %d: %v", num, i+1, e)
				continue
			}
			buf.Write(d)
			buf.WriteByte('\n')
		}
		data = buf.Bytes()
	}
	if err != nil {
		if isFatal(err) {
			return nil, nil, err
		}
		x.warnf("page %d: %v", num, err)
	}
	if n := min(textBytes(data)+16, 16384); cap(x.glyphBuf) >= n {
		p.glyphs = x.glyphBuf
	} else {
		p.glyphs = make([]glyph, 0, n)
	}
	x.glyphBuf = nil
	res := newResources(pg.res)
	if rerr := p.safeRun(data, res); rerr != nil {
		if isFatal(rerr) {
			return nil, nil, rerr
		}
		x.warnf("page %d: %v", num, rerr)
	}
	lines, hidden = x.assemble(p)
	return lines, hidden, nil
}

// textBytes estimates how many glyphs a content stream draws, to size the
// page's glyph slice: the bytes between each ( and the next ), plus half
// those between each < (not <<) and the next >. Escapes, nested
// parentheses and comments are not looked at; a code of two bytes counts
// twice. It only has to be close, and searching for the delimiters is much
// cheaper than growing the slice glyph by glyph.
func textBytes(data []byte) int {
	n := 0
	for i := 0; ; {
		j := bytes.IndexByte(data[i:], '(')
		if j < 0 {
			break
		}
		i += j + 1
		k := bytes.IndexByte(data[i:], ')')
		if k < 0 {
			n += len(data) - i
			break
		}
		n += k
		i += k + 1
	}
	for i := 0; ; {
		j := bytes.IndexByte(data[i:], '<')
		if j < 0 {
			break
		}
		i += j + 1
		if i < len(data) && data[i] == '<' {
			i++
			continue
		}
		k := bytes.IndexByte(data[i:], '>')
		if k < 0 {
			n += (len(data) - i) / 2
			break
		}
		n += k / 2
		i += k + 1
	}
	return n
}

// safeRun interprets content, turning a panic into an error so the glyphs
// read so far are kept.
func (p *interp) safeRun(data []byte, res *resources) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("content stream: %v", r)
		}
	}()
	return p.run(data, res)
}

// fontWarnings names the fonts whose text could not be decoded.
func (x *extractor) fontWarnings() {
	keys := make([]string, 0, len(x.fonts))
	for k := range x.fonts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		f := x.fonts[k]
		bad := f.unmapped + f.junk
		// Icon fonts drop a few glyphs by design; warn about text.
		if bad >= 20 && bad >= f.mapped {
			name := f.name
			if name == "" {
				name = "(unnamed)"
			}
			x.warnf("font %s has no usable Unicode mapping: %d glyphs dropped", name, bad)
		}
	}
}

// undecodable counts the glyphs shown in fonts with no usable mapping.
func (x *extractor) undecodable() int {
	n := 0
	for _, f := range x.fonts {
		n += f.unmapped + f.junk
	}
	return n
}
