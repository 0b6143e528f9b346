package pdftext

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"

	"sift/parser/internal/layout"
)

// The object layer is github.com/ledongthuc/pdf, whose reader needs a
// well-formed header, trailer and cross-reference section, follows /Prev
// chains without a bound, and re-inflates an object stream each time it
// resolves an object stored in one. So before handing the bytes over, the
// file is normalised, the way poppler reconstructs a damaged file, but always:
//
//   - the header is looked for in the first 1024 bytes and rewritten as
//     %PDF-1.7 (PDF 2.0 and odd version lines are read the same way);
//   - every "N G obj" is found by a scan that skips stream data, the last
//     definition of a number winning as an incremental update would;
//   - objects inside object streams are inflated once and appended as plain
//     objects (unless the file is encrypted: then the object streams are kept
//     and referenced from the new cross-reference stream);
//   - streams whose /Length is wrong are rewritten with the right one;
//   - a fresh cross-reference stream, trailer keys (/Root, /Info, /Encrypt,
//     /ID) from the file's trailers or cross-reference streams, or a
//     /Type /Catalog object, startxref and %%EOF are appended.
//
// The library then never sees the file's own cross-reference data.

// A scanned object: where its definition starts in the normalised buffer,
// or its raw bytes when it came out of an object stream.
type scannedObj struct {
	gen    int
	offset int    // offset of "N G obj" in src, when raw == nil
	raw    []byte // body from an object stream, or a rewritten object
	inStm  int    // number of the object stream holding it, for encrypted files
	index  int    // index in that object stream
	order  int    // file position, for "last definition wins"
}

type repairer struct {
	src       []byte // the file from its %PDF header on
	objs      map[int]*scannedObj
	trailer   map[string]operand
	catalog   int
	budget    *int64 // inflate budget shared with the extractor
	warnings  []string
	enc       bool
	objStms   int
	badObjStm bool // an object stream the library could loop on
}

var errInflateLimit = errors.New("decompressed size limit")

// normalise returns bytes the library can open. budget is decremented by the
// bytes inflated from object streams.
func normalise(data []byte, budget *int64) ([]byte, []string, error) {
	start := bytes.Index(headSlice(data, 1024), []byte("%PDF-"))
	var warnings []string
	if start < 0 {
		return nil, nil, fmt.Errorf("%w: no %%PDF header", layout.ErrMalformed)
	}
	if start > 0 {
		warnings = append(warnings, fmt.Sprintf("skipped %d bytes before the %%PDF header", start))
	}
	rp := &repairer{src: data[start:], objs: make(map[int]*scannedObj), budget: budget}
	rp.enc = bytes.Contains(rp.src, []byte("/Encrypt"))
	if err := rp.scan(); err != nil {
		return nil, nil, err
	}
	if rp.enc && rp.objStms > 0 {
		// Objects in encrypted object streams can only be read by the
		// library: use the file's own cross-reference data, checked first.
		return rp.original()
	}
	if len(rp.objs) == 0 {
		return nil, nil, fmt.Errorf("%w: no objects found", layout.ErrMalformed)
	}
	out, err := rp.write()
	if err != nil {
		return nil, nil, err
	}
	return out, append(warnings, rp.warnings...), nil
}

func headSlice(b []byte, n int) []byte {
	if len(b) < n {
		return b
	}
	return b[:n]
}

// maxObjNum bounds object numbers, so a hostile number cannot make the
// cross-reference table huge.
const maxObjNum = 8_000_000

// scan finds object definitions, trailers and object streams.
func (rp *repairer) scan() error {
	src := rp.src
	pos := 0
	order := 0
	nextTrailer := -2 // absolute offset of the next "trailer", -1 for none
	for pos < len(src) {
		i := bytes.Index(src[pos:], []byte("obj"))
		if nextTrailer != -1 && nextTrailer < pos {
			nextTrailer = bytes.Index(src[pos:], []byte("trailer"))
			if nextTrailer >= 0 {
				nextTrailer += pos
			}
		}
		t := -1
		if nextTrailer >= 0 {
			t = nextTrailer - pos
		}
		if i < 0 && t < 0 {
			break
		}
		if t >= 0 && (i < 0 || t < i) {
			// A classic trailer dictionary.
			p := pos + t + len("trailer")
			l := lexer{b: src, pos: p}
			o := l.next()
			if o.kind == tDict {
				rp.mergeTrailer(o.d)
			}
			pos = p
			continue
		}
		at := pos + i
		pos = at + 3
		num, gen, defStart, ok := objHeader(src, at)
		if !ok {
			continue
		}
		if pos < len(src) && !isWhite(src[pos]) && !isDelimiter(src[pos]) {
			continue
		}
		l := lexer{b: src, pos: pos}
		val := l.next()
		order++
		so := &scannedObj{gen: gen, offset: defStart, order: order}
		// Stream data follows?
		l.skipWhite()
		if val.kind == tDict && bytes.HasPrefix(src[l.pos:], []byte("stream")) {
			dataStart := l.pos + len("stream")
			if dataStart < len(src) && src[dataStart] == '\r' {
				dataStart++
			}
			if dataStart < len(src) && src[dataStart] == '\n' {
				dataStart++
			}
			n, fixed := rp.streamLength(val.d, dataStart)
			end := dataStart + n
			if fixed {
				// Rewrite the object with the length the data has.
				d := copyDict(val.d)
				d["Length"] = operand{kind: tNum, n: float64(n)}
				var b bytes.Buffer
				writeObject(&b, operand{kind: tDict, d: d})
				b.WriteString("\nstream\n")
				b.Write(src[dataStart:end])
				b.WriteString("\nendstream")
				so.raw = b.Bytes()
			}
			typ := val.d["Type"]
			switch {
			case typ.kind == tName && typ.s == "ObjStm":
				rp.objStms++
				rp.put(num, so)
				if err := rp.expandObjStm(num, val.d, src[dataStart:end], order); err != nil {
					if errors.Is(err, errInflateLimit) {
						return fmt.Errorf("%w: object streams inflate past the limit", layout.ErrTooLarge)
					}
					rp.warnings = append(rp.warnings, fmt.Sprintf("object stream %d: %v", num, err))
				}
			case typ.kind == tName && typ.s == "XRef":
				rp.mergeTrailer(val.d)
				// A cross-reference stream is not an object anyone refers to.
			default:
				rp.put(num, so)
			}
			pos = end
			if k := bytes.Index(src[pos:], []byte("endstream")); k >= 0 && k < 64 {
				pos += k + len("endstream")
			}
			continue
		}
		if val.kind == tDict {
			if t := val.d["Type"]; t.kind == tName && t.s == "Catalog" {
				rp.catalog = num
			}
		}
		rp.put(num, so)
		if l.pos > pos {
			pos = l.pos
		}
	}
	return nil
}

func (rp *repairer) put(num int, so *scannedObj) {
	if num < 0 || num > maxObjNum {
		return
	}
	if old, ok := rp.objs[num]; ok && old.order > so.order {
		return
	}
	rp.objs[num] = so
}

// objHeader checks that "obj" at src[at:] is preceded by "N G " and returns
// the numbers and where "N" starts.
func objHeader(src []byte, at int) (num, gen, start int, ok bool) {
	p := at - 1
	if p < 0 || !isWhite(src[p]) {
		return 0, 0, 0, false
	}
	for p >= 0 && isWhite(src[p]) {
		p--
	}
	ge := p + 1
	for p >= 0 && src[p] >= '0' && src[p] <= '9' {
		p--
	}
	gs := p + 1
	if gs == ge || ge-gs > 5 || p < 0 || !isWhite(src[p]) {
		return 0, 0, 0, false
	}
	for p >= 0 && isWhite(src[p]) {
		p--
	}
	ne := p + 1
	for p >= 0 && src[p] >= '0' && src[p] <= '9' {
		p--
	}
	ns := p + 1
	if ns == ne || ne-ns > 9 {
		return 0, 0, 0, false
	}
	if p >= 0 && !isWhite(src[p]) && !isDelimiter(src[p]) {
		return 0, 0, 0, false
	}
	n, err1 := strconv.Atoi(string(src[ns:ne]))
	g, err2 := strconv.Atoi(string(src[gs:ge]))
	if err1 != nil || err2 != nil || g > 65535 {
		return 0, 0, 0, false
	}
	return n, g, ns, true
}

// streamLength returns the length of stream data starting at dataStart:
// the declared /Length when "endstream" follows it, else the distance to
// the next "endstream" (fixed reports that the object needs rewriting).
func (rp *repairer) streamLength(d map[string]operand, dataStart int) (n int, fixed bool) {
	src := rp.src
	declared := -1
	if lv := d["Length"]; lv.kind == tNum && lv.n >= 0 && lv.n <= float64(len(src)) {
		declared = int(lv.n)
	}
	if declared >= 0 && dataStart+declared <= len(src) {
		rest := src[dataStart+declared:]
		k := 0
		for k < len(rest) && k < 4 && isWhite(rest[k]) {
			k++
		}
		if bytes.HasPrefix(rest[k:], []byte("endstream")) {
			return declared, false
		}
	}
	e := bytes.Index(src[dataStart:], []byte("endstream"))
	if e < 0 {
		// Truncated file: the data runs to the end.
		e = len(src) - dataStart
	} else {
		// The end-of-line before endstream is not data.
		if e > 0 && src[dataStart+e-1] == '\n' {
			e--
		}
		if e > 0 && src[dataStart+e-1] == '\r' {
			e--
		}
	}
	if lv := d["Length"]; lv.kind == tOp && lv.s == "R" {
		// An indirect length is checked when the table is complete; rewrite
		// with the measured length to be safe.
		return e, true
	}
	return e, declared != e
}

// expandObjStm inflates an object stream and records its objects.
func (rp *repairer) expandObjStm(num int, d map[string]operand, raw []byte, order int) error {
	n := int(d["N"].n)
	first := int(d["First"].n)
	if d["Extends"].kind != tEOF {
		rp.badObjStm = true // the library follows /Extends without a bound
	}
	if n <= 0 || first <= 0 || n > len(raw)+1000 {
		rp.badObjStm = true
		return fmt.Errorf("bad /N or /First")
	}
	if rp.enc {
		// Encrypted streams cannot be inflated here; keep them for the
		// library (objects are referenced by index).
		return nil
	}
	data, err := rp.inflate(d, raw)
	if err != nil {
		return err
	}
	if first > len(data) {
		return fmt.Errorf("/First past the data")
	}
	l := lexer{b: data[:first]}
	type ent struct{ num, off int }
	ents := make([]ent, 0, n)
	for i := 0; i < n; i++ {
		a, b := l.next(), l.next()
		if a.kind != tNum || b.kind != tNum {
			break
		}
		ents = append(ents, ent{int(a.n), int(b.n)})
	}
	for i, e := range ents {
		s := first + e.off
		end := len(data)
		if i+1 < len(ents) {
			end = first + ents[i+1].off
		}
		if s < first || s > len(data) || end > len(data) || end < s {
			continue
		}
		rp.put(e.num, &scannedObj{raw: data[s:end], inStm: num, index: i, order: order})
		if rp.catalog == 0 {
			lx := lexer{b: data[s:end]}
			if o := lx.next(); o.kind == tDict {
				if t := o.d["Type"]; t.kind == tName && t.s == "Catalog" {
					rp.catalog = e.num
				}
			}
		}
	}
	return nil
}

// inflate decodes an object stream's data (FlateDecode or none).
func (rp *repairer) inflate(d map[string]operand, raw []byte) ([]byte, error) {
	f := d["Filter"]
	if f.kind == tArray && len(f.a) == 1 {
		f = f.a[0]
	}
	switch {
	case f.kind == tEOF:
		return raw, nil
	case f.kind == tName && f.s == "FlateDecode":
	default:
		return nil, fmt.Errorf("unsupported filter for an object stream")
	}
	if p := d["DecodeParms"]; p.kind == tDict {
		if pr := p.d["Predictor"]; pr.kind == tNum && pr.n > 1 {
			return nil, fmt.Errorf("predictor in an object stream")
		}
	}
	zr, err := zlib.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	lim := *rp.budget
	out, err := io.ReadAll(io.LimitReader(zr, lim+1))
	if int64(len(out)) > lim {
		return nil, errInflateLimit
	}
	*rp.budget -= int64(len(out))
	if err != nil && len(out) == 0 {
		return nil, err
	}
	return out, nil
}

func (rp *repairer) mergeTrailer(d map[string]operand) {
	if rp.trailer == nil {
		rp.trailer = make(map[string]operand)
	}
	for _, k := range []string{"Root", "Info", "Encrypt", "ID"} {
		if v, ok := d[k]; ok && v.kind != tEOF {
			rp.trailer[k] = v
		}
	}
	if _, ok := d["Encrypt"]; ok {
		rp.enc = true
	}
}

func copyDict(d map[string]operand) map[string]operand {
	c := make(map[string]operand, len(d))
	for k, v := range d {
		c[k] = v
	}
	return c
}

// write builds the normalised file: a clean header, the original bytes,
// the rewritten and extracted objects, and a new cross-reference stream.
func (rp *repairer) write() ([]byte, error) {
	const header = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
	nums := make([]int, 0, len(rp.objs))
	extra := 0
	maxNum := 0
	for n, o := range rp.objs {
		nums = append(nums, n)
		if n > maxNum {
			maxNum = n
		}
		extra += len(o.raw) + 32
	}
	sort.Ints(nums)
	var out bytes.Buffer
	out.Grow(len(header) + len(rp.src) + extra + 16*len(nums) + 256)
	out.WriteString(header)
	out.Write(rp.src)
	out.WriteString("\n")
	type entry struct {
		typ  byte
		a, b int
	}
	entries := make(map[int]entry, len(nums))
	for _, n := range nums {
		o := rp.objs[n]
		switch {
		case o.raw != nil && o.inStm != 0 && rp.enc:
			entries[n] = entry{2, o.inStm, o.index}
		case o.raw != nil:
			entries[n] = entry{1, out.Len(), o.gen}
			fmt.Fprintf(&out, "%d %d obj\n", n, o.gen)
			out.Write(o.raw)
			out.WriteString("\nendobj\n")
		default:
			entries[n] = entry{1, len(header) + o.offset, o.gen}
		}
	}
	// Trailer keys.
	root := rp.trailer["Root"]
	if root.kind != tOp || root.s != "R" || rp.objs[int(root.n)] == nil {
		if rp.catalog == 0 {
			return nil, fmt.Errorf("%w: no document catalog", layout.ErrMalformed)
		}
		root = operand{kind: tOp, s: "R", n: float64(rp.catalog), gen: rp.objs[rp.catalog].gen}
	}
	xrefNum := maxNum + 1
	size := xrefNum + 1
	xrefOff := out.Len()
	var tab bytes.Buffer
	tab.Grow(size * 7)
	for n := 0; n < size; n++ {
		e, ok := entries[n]
		if n == xrefNum {
			e, ok = entry{1, xrefOff, 0}, true
		}
		if !ok {
			tab.Write([]byte{0, 0, 0, 0, 0, 0xff, 0xff})
			continue
		}
		tab.Write([]byte{e.typ, byte(e.a >> 24), byte(e.a >> 16), byte(e.a >> 8), byte(e.a), byte(e.b >> 8), byte(e.b)})
	}
	fmt.Fprintf(&out, "%d 0 obj\n<</Type/XRef/Size %d/W[1 4 2]/Length %d/Root ", xrefNum, size, tab.Len())
	writeObject(&out, root)
	for _, k := range []string{"Info", "Encrypt", "ID"} {
		if v, ok := rp.trailer[k]; ok {
			out.WriteString("/" + k + " ")
			writeObject(&out, v)
		}
	}
	out.WriteString(">>\nstream\n")
	out.Write(tab.Bytes())
	fmt.Fprintf(&out, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", xrefOff)
	return out.Bytes(), nil
}

// writeObject serialises an operand in PDF syntax.
func writeObject(w *bytes.Buffer, o operand) {
	switch o.kind {
	case tNum:
		if o.n == float64(int64(o.n)) {
			w.WriteString(strconv.FormatInt(int64(o.n), 10))
		} else {
			w.WriteString(strconv.FormatFloat(o.n, 'f', -1, 64))
		}
	case tName:
		w.WriteByte('/')
		for i := 0; i < len(o.s); i++ {
			c := o.s[i]
			if c <= ' ' || c >= 0x7f || c == '#' || isDelimiter(c) {
				fmt.Fprintf(w, "#%02x", c)
			} else {
				w.WriteByte(c)
			}
		}
	case tString:
		w.WriteByte('<')
		const hex = "0123456789abcdef"
		for i := 0; i < len(o.s); i++ {
			w.WriteByte(hex[o.s[i]>>4])
			w.WriteByte(hex[o.s[i]&15])
		}
		w.WriteByte('>')
	case tArray:
		w.WriteByte('[')
		for i, e := range o.a {
			if i > 0 {
				w.WriteByte(' ')
			}
			writeObject(w, e)
		}
		w.WriteByte(']')
	case tDict:
		keys := make([]string, 0, len(o.d))
		for k := range o.d {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		w.WriteString("<<")
		for _, k := range keys {
			writeObject(w, operand{kind: tName, s: k})
			w.WriteByte(' ')
			writeObject(w, o.d[k])
		}
		w.WriteString(">>")
	case tOp:
		if o.s == "R" {
			fmt.Fprintf(w, "%d %d R", int64(o.n), o.gen)
			return
		}
		w.WriteString(o.s)
	default:
		w.WriteString("null")
	}
}

// original returns the file as it is, with its header repaired, after
// checking its cross-reference chain for what would make the library loop
// or allocate without bound.
func (rp *repairer) original() ([]byte, []string, error) {
	src := rp.src
	if rp.badObjStm {
		return nil, nil, fmt.Errorf("%w: damaged object stream in an encrypted file", layout.ErrMalformed)
	}
	if err := checkXrefChain(src); err != nil {
		return nil, nil, fmt.Errorf("%w: %v", layout.ErrMalformed, err)
	}
	out := make([]byte, len(src))
	copy(out, src)
	if len(out) > 9 && (out[8] == '\n' || out[8] == '\r') {
		copy(out, "%PDF-1.7")
	}
	if i := bytes.LastIndex(out, []byte("%%EOF")); i >= 0 {
		out = out[:i+5]
	}
	return out, rp.warnings, nil
}

// checkXrefChain follows startxref and /Prev, rejecting cycles, long chains,
// huge tables and bad /W arrays.
func checkXrefChain(src []byte) error {
	i := bytes.LastIndex(src, []byte("startxref"))
	if i < 0 {
		return fmt.Errorf("no startxref")
	}
	l := lexer{b: src, pos: i + len("startxref")}
	o := l.next()
	bound := float64(len(src)) + 1000
	seen := map[int]bool{}
	for hop := 0; o.kind == tNum; hop++ {
		off := int(o.n)
		if hop > 64 || seen[off] || off < 0 || off >= len(src) {
			return fmt.Errorf("bad cross-reference chain")
		}
		seen[off] = true
		l = lexer{b: src, pos: off}
		t := l.next()
		var d map[string]operand
		if t.kind == tOp && t.s == "xref" {
			for {
				a := l.next()
				if a.kind != tNum {
					break
				}
				b := l.next()
				if b.kind != tNum || a.n+b.n > bound || b.n < 0 {
					return fmt.Errorf("bad cross-reference subsection")
				}
				for k := 0; k < int(b.n)*3; k++ {
					if l.next().kind == tEOF {
						return fmt.Errorf("truncated cross-reference table")
					}
				}
			}
			tr := l.next()
			d = tr.d
		} else {
			l.next()
			l.next() // G obj
			tr := l.next()
			d = tr.d
			if w := d["W"]; w.kind == tArray {
				for _, x := range w.a {
					if x.n < 0 || x.n > 8 {
						return fmt.Errorf("bad /W")
					}
				}
			}
			for _, x := range d["Index"].a {
				if x.n < 0 || x.n > bound {
					return fmt.Errorf("bad /Index")
				}
			}
		}
		if d == nil {
			return fmt.Errorf("no trailer")
		}
		if s := d["Size"]; s.n > bound || s.n < 0 {
			return fmt.Errorf("bad /Size")
		}
		o = d["Prev"]
	}
	return nil
}
