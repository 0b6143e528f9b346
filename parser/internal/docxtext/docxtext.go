// Package docxtext extracts text from Word documents (OOXML, Transitional and
// Strict): paragraphs with their styles, tables, headers and footers, text
// boxes and notes, with hidden text set apart.
//
// The reader streams each XML part (encoding/xml tokens, matched on local
// names within the WordprocessingML namespaces), so memory follows the size
// of the text rather than of the markup. Every archive member is inflated
// through one budget (Options.MaxDecompressed), the number of members read
// and the nesting depth of the XML are capped, and nothing in a document
// can make it panic.
package docxtext

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"sift/parser/internal/layout"
)

// Options are the limits for one document.
type Options struct {
	MaxDecompressed int64 // bytes inflated from the archive; more is layout.ErrTooLarge (0: DefaultMaxDecompressed)
}

// Limits that are not options.
const (
	// DefaultMaxDecompressed is the inflation budget when
	// Options.MaxDecompressed is 0.
	DefaultMaxDecompressed = 256 << 20
	// MaxParts is the number of archive members read from one document;
	// header, footer and note parts past it are skipped with a warning.
	MaxParts = 100
	// MaxDepth is the deepest XML nesting accepted; deeper is
	// layout.ErrTooLarge.
	MaxDepth = 256
)

// relBases are the Transitional and Strict prefixes of relationship type
// URIs; the type is the name after the prefix.
var relBases = []string{
	"http://schemas.openxmlformats.org/officeDocument/2006/relationships/",
	"http://purl.oclc.org/ooxml/officeDocument/relationships/",
}

var ole2Magic = []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")

// Extract reads the text of a DOCX file: headers, then the body, then
// footnotes and endnotes, then footers. Identical headers (or footers) are
// read once; of the two renditions of a text box Word writes (DrawingML and
// its VML fallback) one is read.
//
// Errors wrap layout.ErrEncrypted (a password-protected package),
// layout.ErrTooLarge (a limit was reached) or layout.ErrMalformed (a damaged
// archive, a missing main part, or damaged XML in the main part; damage in
// another part is a warning), or are ctx's error.
func Extract(ctx context.Context, data []byte, opts Options) (*layout.Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if bytes.HasPrefix(data, ole2Magic) {
		if bytes.Contains(data, []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e")) {
			return nil, fmt.Errorf("%w: a password-protected Office document (EncryptedPackage)", layout.ErrEncrypted)
		}
		return nil, fmt.Errorf("%w: an OLE2 compound file, not a DOCX package", layout.ErrMalformed)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !(errors.Is(err, zip.ErrInsecurePath) && zr != nil) {
		return nil, fmt.Errorf("%w: not a readable ZIP archive: %v", layout.ErrMalformed, err)
	}
	budget := opts.MaxDecompressed
	if budget <= 0 {
		budget = DefaultMaxDecompressed
	}
	x := &extractor{ctx: ctx, pkg: newPackage(zr, budget), doc: &layout.Document{}}
	if err := x.run(); err != nil {
		return nil, err
	}
	return x.doc, nil
}

// extractor holds the state of one Extract call.
type extractor struct {
	ctx    context.Context
	pkg    *pkg
	doc    *layout.Document
	styles *styleSheet
}

func (x *extractor) warn(format string, args ...any) {
	x.doc.Warnings = append(x.doc.Warnings, fmt.Sprintf(format, args...))
}

func (x *extractor) run() error {
	main, appPart, err := x.mainPart()
	if err != nil {
		return err
	}
	body, err := x.pkg.read(main)
	if errors.Is(err, errNotFound) {
		return fmt.Errorf("%w: the main document part %s is missing", layout.ErrMalformed, main)
	}
	if err != nil {
		return err
	}
	rels, err := x.rels(main)
	if err != nil {
		return err
	}

	// Styles first: every paragraph needs them.
	x.styles = &styleSheet{byID: map[string]*style{}}
	if p := rels.first("styles"); p != "" {
		if err := x.optional(p, func(data []byte) error {
			st, err := parseStyles(x.ctx, data)
			if err == nil {
				x.styles = st
			}
			return err
		}); err != nil {
			return err
		}
	}

	// Story parts, read before any is walked so that the check for
	// graphics behind the text sees them all.
	type story struct {
		name, kind string
		data       []byte
	}
	var stories []story
	for _, kind := range []string{"header", "footnotes", "endnotes", "footer"} {
		for _, name := range rels.all(kind) {
			data, err := x.pkg.read(name)
			switch {
			case errors.Is(err, errNotFound):
				x.warn("%s: related part is missing", name)
				continue
			case errors.Is(err, errTooManyParts):
				x.warn("%s: not read: more than %d parts", name, MaxParts)
				continue
			case err != nil && !errors.Is(err, layout.ErrMalformed):
				return err
			case err != nil:
				x.warn("%v; part skipped", err)
				continue
			}
			stories = append(stories, story{name, kind, data})
		}
	}
	whiteOK := !hasBackdrop(body)
	for _, s := range stories {
		whiteOK = whiteOK && !hasBackdrop(s.data)
	}

	var head, notes, foot []layout.Line
	seen := map[string]bool{}
	for _, s := range stories {
		if err := x.ctx.Err(); err != nil {
			return err
		}
		w := newWalker(x.ctx, s.name, s.data, x.styles, whiteOK)
		if err := w.walk(""); err != nil {
			if !errors.Is(err, layout.ErrMalformed) {
				return err
			}
			x.warn("%v; part skipped", err)
			continue
		}
		if s.kind == "header" || s.kind == "footer" {
			key := s.kind + "\x00" + signature(w.lines, w.hidden)
			if len(w.lines)+len(w.hidden) == 0 || seen[key] {
				continue
			}
			seen[key] = true
		}
		x.doc.Hidden = append(x.doc.Hidden, w.hidden...)
		switch s.kind {
		case "header":
			head = append(head, w.lines...)
		case "footer":
			foot = append(foot, w.lines...)
		default:
			notes = append(notes, w.lines...)
		}
	}

	if err := x.ctx.Err(); err != nil {
		return err
	}
	w := newWalker(x.ctx, main, body, x.styles, whiteOK)
	if err := w.walk("document"); err != nil {
		return err
	}
	x.doc.Hidden = append(w.hidden, x.doc.Hidden...)
	x.doc.Lines = joinBullets(slices.Concat(head, w.lines, notes, foot))

	if appPart != "" {
		if err := x.optional(appPart, x.appProps); err != nil {
			return err
		}
	}
	return nil
}

// optional reads a part that the text does not depend on and hands it to
// use; a missing or damaged part is a warning, a limit or cancellation is an
// error.
func (x *extractor) optional(name string, use func([]byte) error) error {
	data, err := x.pkg.read(name)
	switch {
	case errors.Is(err, errNotFound):
		return nil
	case errors.Is(err, errTooManyParts):
		x.warn("%s: not read: more than %d parts", name, MaxParts)
		return nil
	case errors.Is(err, layout.ErrMalformed):
		x.warn("%v; part skipped", err)
		return nil
	case err != nil:
		return err
	}
	if err := use(data); err != nil {
		if !errors.Is(err, layout.ErrMalformed) {
			return err
		}
		x.warn("%v; part skipped", err)
	}
	return nil
}

// mainPart finds the main document part through the package
// relationships, and the extended-properties part if there is one.
func (x *extractor) mainPart() (main, app string, err error) {
	data, err := x.pkg.read("_rels/.rels")
	if errors.Is(err, errNotFound) {
		if x.pkg.has("word/document.xml") {
			x.warn("_rels/.rels is missing; read word/document.xml")
			return "word/document.xml", "docProps/app.xml", nil
		}
		return "", "", fmt.Errorf("%w: no package relationships (_rels/.rels) and no word/document.xml", layout.ErrMalformed)
	}
	if err != nil {
		return "", "", err
	}
	rels, err := parseRels("", "_rels/.rels", data)
	if err != nil {
		return "", "", err
	}
	main = rels.first("officedocument")
	if main == "" {
		return "", "", fmt.Errorf("%w: _rels/.rels names no main document part (officeDocument relationship)", layout.ErrMalformed)
	}
	app = rels.first("extendedproperties")
	if app == "" {
		app = "docProps/app.xml"
	}
	return main, app, nil
}

// rels reads the relationships of a part; a missing relationships part is
// an empty set.
func (x *extractor) rels(part string) (relSet, error) {
	dir, file := path.Split(part)
	name := dir + "_rels/" + file + ".rels"
	data, err := x.pkg.read(name)
	switch {
	case errors.Is(err, errNotFound):
		return nil, nil
	case errors.Is(err, layout.ErrMalformed):
		x.warn("%v; headers, footers and styles not found", err)
		return nil, nil
	case err != nil:
		return nil, err
	}
	rels, err := parseRels(part, name, data)
	if err != nil {
		x.warn("%v; headers, footers and styles not found", err)
		return nil, nil
	}
	return rels, nil
}

// appProps reads the producing application from docProps/app.xml.
func (x *extractor) appProps(data []byte) error {
	var props struct {
		Application string `xml:"Application"`
		AppVersion  string `xml:"AppVersion"`
		Pages       string `xml:"Pages"`
	}
	if err := decodeSmall(data, &props); err != nil {
		return fmt.Errorf("%w: %s: %v", layout.ErrMalformed, "docProps/app.xml", err)
	}
	producer := strings.TrimSpace(strings.TrimSpace(props.Application) + " " + strings.TrimSpace(props.AppVersion))
	x.doc.Producer = clean(producer)
	if n, err := strconv.Atoi(strings.TrimSpace(props.Pages)); err == nil && n > 0 && n <= 100000 {
		x.doc.Pages = n
	}
	return nil
}

// decodeSmall unmarshals a small XML part (relationships, properties).
func decodeSmall(data []byte, v any) error {
	dec := xml.NewDecoder(bytes.NewReader(utf8Bytes(data)))
	dec.CharsetReader = charsetReader
	dec.Entity = xml.HTMLEntity
	return dec.Decode(v)
}

type rel struct {
	typ    string // the type's last segment, lower case without '-'
	target string // the part name, resolved
}

type relSet []rel

func (s relSet) first(typ string) string {
	for _, r := range s {
		if r.typ == typ {
			return r.target
		}
	}
	return ""
}

// all returns the targets of a type in natural order (header2 before
// header10), each once.
func (s relSet) all(typ string) []string {
	var out []string
	for _, r := range s {
		if r.typ == typ && !slices.Contains(out, r.target) {
			out = append(out, r.target)
		}
	}
	slices.SortFunc(out, naturalCompare)
	return out
}

// parseRels reads a relationships part; targets are resolved against the
// directory of source ("" for the package root).
func parseRels(source, name string, data []byte) (relSet, error) {
	var doc struct {
		Rels []struct {
			Type       string `xml:"Type,attr"`
			Target     string `xml:"Target,attr"`
			TargetMode string `xml:"TargetMode,attr"`
		} `xml:"Relationship"`
	}
	if err := decodeSmall(data, &doc); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", layout.ErrMalformed, name, err)
	}
	var out relSet
	for _, r := range doc.Rels {
		if strings.EqualFold(r.TargetMode, "External") || r.Target == "" {
			continue
		}
		typ := ""
		for _, base := range relBases {
			if len(r.Type) > len(base) && strings.EqualFold(r.Type[:len(base)], base) {
				typ = strings.ToLower(strings.ReplaceAll(r.Type[len(base):], "-", ""))
			}
		}
		if typ == "" {
			continue
		}
		target := r.Target
		if t, err := url.PathUnescape(target); err == nil {
			target = t
		}
		target = strings.ReplaceAll(target, "\\", "/")
		if strings.HasPrefix(target, "/") {
			target = path.Clean(target)[1:]
		} else {
			target = path.Join(path.Dir(source), target)
		}
		out = append(out, rel{typ: typ, target: strings.TrimPrefix(target, "/")})
	}
	return out, nil
}

// naturalCompare orders names with their digit runs compared as numbers.
func naturalCompare(a, b string) int {
	for a != "" && b != "" {
		da, db := digitPrefix(a), digitPrefix(b)
		if da > 0 && db > 0 {
			na := strings.TrimLeft(a[:da], "0")
			nb := strings.TrimLeft(b[:db], "0")
			if c := len(na) - len(nb); c != 0 {
				return c
			}
			if c := strings.Compare(na, nb); c != 0 {
				return c
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return int(a[0]) - int(b[0])
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

func digitPrefix(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// signature identifies a story's text, to read identical headers once.
func signature(lines []layout.Line, hidden []layout.Hidden) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l.Text)
		b.WriteByte('\n')
	}
	for _, h := range hidden {
		b.WriteString(h.Reason + "\x00" + h.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

var (
	errNotFound     = errors.New("part not found")
	errTooManyParts = fmt.Errorf("%w: too many parts", layout.ErrTooLarge)
)

// pkg reads archive members through one inflation budget.
type pkg struct {
	files  map[string]*zip.File // by lower-case name
	budget int64                // bytes that may still be inflated
	limit  int64
	reads  int
}

func newPackage(zr *zip.Reader, limit int64) *pkg {
	p := &pkg{files: make(map[string]*zip.File, len(zr.File)), budget: limit, limit: limit}
	for _, f := range zr.File {
		name := strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(f.Name, "\\", "/"), "/"))
		if _, dup := p.files[name]; !dup {
			p.files[name] = f
		}
	}
	return p
}

func (p *pkg) has(name string) bool {
	_, ok := p.files[strings.ToLower(name)]
	return ok
}

// read inflates one member. It fails with errNotFound, errTooManyParts,
// an error wrapping layout.ErrTooLarge when the budget would be exceeded
// (before inflating more than the budget), or one wrapping
// layout.ErrMalformed when the member is damaged.
func (p *pkg) read(name string) ([]byte, error) {
	f := p.files[strings.ToLower(name)]
	if f == nil {
		return nil, errNotFound
	}
	if p.reads >= MaxParts {
		return nil, errTooManyParts
	}
	p.reads++
	if f.Flags&0x1 != 0 {
		return nil, fmt.Errorf("%w: %s: the archive member is encrypted", layout.ErrEncrypted, name)
	}
	if f.UncompressedSize64 > uint64(p.budget) {
		return nil, fmt.Errorf("%w: %s inflates to %d bytes; the limit is %d in all", layout.ErrTooLarge, name, f.UncompressedSize64, p.limit)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", layout.ErrMalformed, name, err)
	}
	defer rc.Close()
	var buf bytes.Buffer
	buf.Grow(int(min(f.UncompressedSize64, 1<<20)))
	n, err := buf.ReadFrom(io.LimitReader(rc, p.budget+1))
	if n > p.budget {
		return nil, fmt.Errorf("%w: %s inflates past the limit of %d bytes", layout.ErrTooLarge, name, p.limit)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", layout.ErrMalformed, name, err)
	}
	p.budget -= n
	return buf.Bytes(), nil
}
