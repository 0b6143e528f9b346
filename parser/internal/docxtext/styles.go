package docxtext

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"sift/parser/internal/layout"
)

// maxStyleDepth bounds a w:basedOn chain.
const maxStyleDepth = 16

// tri is a property that a style or a run may set, clear or leave alone.
type tri int8

const (
	unset tri = iota
	on
	off
)

func (t tri) is() bool { return t == on }

// rprops are run properties: direct, from styles, or resolved.
type rprops struct {
	bold, italic, caps, vanish tri
	white                      tri     // the colour is white
	shaded                     tri     // a highlight or shading is behind the run
	size                       float64 // points; 0 unset
	rstyle                     string  // character style id (direct properties only)
}

// over returns r with the properties o sets laid over it.
func (r rprops) over(o rprops) rprops {
	for _, f := range [...]struct{ dst, src *tri }{
		{&r.bold, &o.bold}, {&r.italic, &o.italic}, {&r.caps, &o.caps},
		{&r.vanish, &o.vanish}, {&r.white, &o.white}, {&r.shaded, &o.shaded},
	} {
		if *f.src != unset {
			*f.dst = *f.src
		}
	}
	if o.size > 0 {
		r.size = o.size
	}
	if o.rstyle != "" {
		r.rstyle = o.rstyle
	}
	return r
}

// runProp applies one child of w:rPr to r.
func runProp(r *rprops, se xml.StartElement) {
	switch se.Name.Local {
	case "b":
		r.bold = toggle(se)
	case "i":
		r.italic = toggle(se)
	case "caps", "smallCaps":
		if t := toggle(se); t == on || r.caps == unset {
			r.caps = t
		}
	case "vanish", "specVanish":
		if t := toggle(se); t == on || r.vanish == unset {
			r.vanish = t
		}
	case "sz":
		if v, ok := measure(attr(se, "val"), 0.5); ok && v > 0 && v < 1640 {
			r.size = v
		}
	case "color":
		val := strings.ToUpper(attr(se, "val"))
		switch {
		case val == "FFFFFF" && attr(se, "themeShade") == "":
			r.white = on
		case val != "":
			r.white = off
		}
	case "highlight":
		if v := attr(se, "val"); v != "" && v != "none" && v != "white" {
			r.shaded = on
		}
	case "shd":
		if shading(se) {
			r.shaded = on
		}
	case "rStyle":
		r.rstyle = attr(se, "val")
	}
}

// toggle reads an on/off property: present without w:val is on.
func toggle(se xml.StartElement) tri { return onOff(attr(se, "val"), on) }

// onOff reads an OOXML boolean; "" is def.
func onOff(v string, def tri) tri {
	switch strings.ToLower(v) {
	case "":
		return def
	case "0", "false", "off", "none":
		return off
	}
	return on
}

// shading reports whether a w:shd puts a colour other than white behind
// the text.
func shading(se xml.StartElement) bool {
	dark := func(c string) bool {
		c = strings.ToUpper(c)
		return c != "" && c != "AUTO" && c != "FFFFFF"
	}
	if dark(attr(se, "fill")) {
		return true
	}
	switch attr(se, "val") {
	case "", "clear", "nil":
		return false
	}
	return dark(attr(se, "color"))
}

// attr returns the value of the attribute with the local name, in any
// namespace.
func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// measure reads a size: a bare number in units of unit points (w:sz is in
// half-points), or a Strict universal measure such as "11pt".
func measure(s string, unit float64) (float64, bool) {
	units := []struct {
		suffix string
		pt     float64
	}{{"pt", 1}, {"pc", 12}, {"pi", 12}, {"in", 72}, {"mm", 72 / 25.4}, {"cm", 72 / 2.54}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			v, err := strconv.ParseFloat(num, 64)
			return v * u.pt, err == nil
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	return v * unit, err == nil
}

// A style is one w:style of styles.xml.
type style struct {
	name, basedOn string
	outline       int // w:outlineLvl + 1; 0 unset
	list          tri // numbering from w:numPr
	shaded        bool
	run           rprops
}

// styleSheet holds the styles and the document defaults.
type styleSheet struct {
	byID        map[string]*style
	defaults    rprops
	defaultPara string // id of the default paragraph style

	paraRun map[string]rprops // memoised run properties of paragraph styles
}

var headingName = regexp.MustCompile(`(?i)^heading\s*([1-9])$`)

// name returns the style's name, or its id when it has none.
func (s *styleSheet) name(id string) string {
	if st := s.byID[id]; st != nil && st.name != "" {
		return st.name
	}
	return id
}

// chain returns the style and its ancestors, nearest first, bounded and
// safe against cycles.
func (s *styleSheet) chain(id string) []*style {
	var out []*style
	for i := 0; i < maxStyleDepth && id != ""; i++ {
		st := s.byID[id]
		if st == nil {
			break
		}
		out = append(out, st)
		id = st.basedOn
	}
	return out
}

// runOf returns the run properties a style gives (its chain laid over the
// document defaults when base is true).
func (s *styleSheet) runOf(id string, base rprops) rprops {
	chain := s.chain(id)
	for i := len(chain) - 1; i >= 0; i-- {
		base = base.over(chain[i].run)
	}
	return base
}

// paragraphRun returns the run properties of text in a paragraph of the
// style: document defaults, then the style chain.
func (s *styleSheet) paragraphRun(id string) rprops {
	if r, ok := s.paraRun[id]; ok {
		return r
	}
	r := s.runOf(id, s.defaults)
	if s.paraRun == nil {
		s.paraRun = map[string]rprops{}
	}
	s.paraRun[id] = r
	return r
}

// level returns the heading level the style gives: its own or inherited
// w:outlineLvl, else N for a style named "heading N".
func (s *styleSheet) level(id string) int {
	chain := s.chain(id)
	for _, st := range chain {
		if st.outline != 0 {
			return max(st.outline, 0)
		}
	}
	for _, st := range chain {
		if m := headingName.FindStringSubmatch(st.name); m != nil {
			return int(m[1][0] - '0')
		}
	}
	return 0
}

// list reports whether the style gives paragraphs numbering.
func (s *styleSheet) list(id string) bool {
	for _, st := range s.chain(id) {
		if st.list != unset {
			return st.list == on
		}
	}
	return false
}

// shaded reports whether the style puts shading behind paragraphs or
// table cells.
func (s *styleSheet) shaded(id string) bool {
	for _, st := range s.chain(id) {
		if st.shaded {
			return true
		}
	}
	return false
}

// parseStyles reads styles.xml.
func parseStyles(ctx context.Context, data []byte) (*styleSheet, error) {
	const name = "word/styles.xml"
	s := &styleSheet{byID: map[string]*style{}}
	dec := newDecoder(data)
	var path []string // local names of open elements
	var cur *style
	var curID string
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		tok, err := dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) && len(path) == 0 {
				break
			}
			return nil, fmt.Errorf("%w: %s: %v", layout.ErrMalformed, name, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(path) >= MaxDepth {
				return nil, fmt.Errorf("%w: %s: XML nested deeper than %d elements", layout.ErrTooLarge, name, MaxDepth)
			}
			local := t.Name.Local
			parent := ""
			if len(path) > 0 {
				parent = path[len(path)-1]
			}
			in := func(el string) bool {
				for _, p := range path {
					if p == el {
						return true
					}
				}
				return false
			}
			switch {
			case local == "style" && parent == "styles":
				cur = &style{}
				curID = attr(t, "styleId")
				if attr(t, "type") == "paragraph" && onOff(attr(t, "default"), off) == on {
					s.defaultPara = curID
				}
				if typ := attr(t, "type"); typ != "" && typ != "paragraph" && typ != "character" && typ != "table" {
					cur = nil
				}
			case in("rPrChange") || in("pPrChange") || in("tblPrChange") || in("tcPrChange"):
				// tracked formatting changes: the old properties
			case in("docDefaults") && parent == "rPr":
				runProp(&s.defaults, t)
			case cur == nil:
			case local == "shd" && !in("rPr"):
				cur.shaded = cur.shaded || shading(t)
			case in("tblStylePr"):
				// conditional table formatting: only its shading counts
			case local == "name" && parent == "style":
				cur.name = attr(t, "val")
			case local == "basedOn" && parent == "style":
				cur.basedOn = attr(t, "val")
			case parent == "rPr" && len(path) >= 2 && path[len(path)-2] == "style":
				runProp(&cur.run, t)
			case local == "outlineLvl" && parent == "pPr":
				if v, err := strconv.Atoi(attr(t, "val")); err == nil && v >= 0 && v <= 9 {
					cur.outline = v + 1
					if v >= 9 {
						cur.outline = -1 // body text, stated
					}
				}
			case local == "numId" && parent == "numPr":
				if attr(t, "val") == "0" {
					cur.list = off
				} else {
					cur.list = on
				}
			}
			path = append(path, local)
		case xml.EndElement:
			if len(path) > 0 {
				path = path[:len(path)-1]
			}
			if t.Name.Local == "style" && len(path) == 1 && cur != nil {
				if curID != "" {
					if _, dup := s.byID[curID]; !dup {
						s.byID[curID] = cur
					}
				}
				cur = nil
			}
		}
	}
	if s.defaultPara == "" {
		if _, ok := s.byID["Normal"]; ok {
			s.defaultPara = "Normal"
		}
	}
	return s, nil
}
