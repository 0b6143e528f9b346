package worker

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
)

// The codec encodes the values that cross the pipe (a job header, a reply
// holding a *parser.Resume) so that decoding gives back exactly the value
// that was encoded: strings byte for byte (JSON would replace invalid UTF-8,
// moving every byte offset after it), nil apart from empty slices and maps
// (gob drops the difference), nil apart from non-nil pointers, every Month
// whatever its value (parser.Month's JSON form rejects months ParseMonth
// rejects), and fields JSON skips. It works by reflection on exported struct
// fields, in declaration order, so both ends must be built from the same
// types; the hello carries a fingerprint of them (typeFingerprint).
//
// Encoding, by kind: bool as one byte; signed integers as zig-zag varints;
// unsigned integers as varints; floats as their IEEE bits, 8 bytes; strings
// and []byte as a length and the bytes; slices and maps as 0 for nil or
// length+1 followed by the elements (map keys and values alternating);
// pointers as 0 for nil or 1 followed by the value; arrays and structs as
// their elements or fields. Interfaces, channels, functions and complex
// numbers are not supported.

const maxDepth = 64 // nesting of decoded values, against recursive types

var errShort = errors.New("truncated value")

// encode appends the encoding of v to buf.
func encode(buf []byte, v any) ([]byte, error) {
	return encodeValue(buf, reflect.ValueOf(v), 0)
}

func encodeValue(buf []byte, v reflect.Value, depth int) ([]byte, error) {
	if depth > maxDepth {
		return buf, fmt.Errorf("codec: %s nested more than %d deep", v.Type(), maxDepth)
	}
	switch v.Kind() {
	case reflect.Bool:
		if v.Bool() {
			return append(buf, 1), nil
		}
		return append(buf, 0), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return binary.AppendVarint(buf, v.Int()), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return binary.AppendUvarint(buf, v.Uint()), nil
	case reflect.Float32, reflect.Float64:
		return binary.BigEndian.AppendUint64(buf, math.Float64bits(v.Float())), nil
	case reflect.String:
		s := v.String()
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		return append(buf, s...), nil
	case reflect.Slice:
		if v.IsNil() {
			return append(buf, 0), nil
		}
		buf = binary.AppendUvarint(buf, uint64(v.Len())+1)
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return append(buf, v.Bytes()...), nil
		}
		return encodeElems(buf, v, depth)
	case reflect.Array:
		return encodeElems(buf, v, depth)
	case reflect.Pointer:
		if v.IsNil() {
			return append(buf, 0), nil
		}
		return encodeValue(append(buf, 1), v.Elem(), depth+1)
	case reflect.Map:
		if v.IsNil() {
			return append(buf, 0), nil
		}
		buf = binary.AppendUvarint(buf, uint64(v.Len())+1)
		var err error
		for it := v.MapRange(); it.Next(); {
			if buf, err = encodeValue(buf, it.Key(), depth+1); err != nil {
				return buf, err
			}
			if buf, err = encodeValue(buf, it.Value(), depth+1); err != nil {
				return buf, err
			}
		}
		return buf, nil
	case reflect.Struct:
		t := v.Type()
		var err error
		for i := 0; i < t.NumField(); i++ {
			if !t.Field(i).IsExported() {
				return buf, fmt.Errorf("codec: %s.%s is unexported", t, t.Field(i).Name)
			}
			if buf, err = encodeValue(buf, v.Field(i), depth+1); err != nil {
				return buf, err
			}
		}
		return buf, nil
	}
	return buf, fmt.Errorf("codec: cannot encode %s", v.Type())
}

func encodeElems(buf []byte, v reflect.Value, depth int) ([]byte, error) {
	var err error
	for i := 0; i < v.Len(); i++ {
		if buf, err = encodeValue(buf, v.Index(i), depth+1); err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// decode decodes b, which must hold exactly one encoded value, into the
// value ptr points to. It never allocates much more than len(b): a length
// is checked against the bytes left before anything is made.
func decode(b []byte, ptr any) error {
	d := decoder{b: b}
	v := reflect.ValueOf(ptr)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return fmt.Errorf("codec: decode into %T", ptr)
	}
	if err := d.value(v.Elem(), 0); err != nil {
		return err
	}
	if len(d.b) != 0 {
		return fmt.Errorf("codec: %d bytes after the value", len(d.b))
	}
	return nil
}

type decoder struct{ b []byte }

func (d *decoder) uvarint() (uint64, error) {
	x, n := binary.Uvarint(d.b)
	if n <= 0 {
		return 0, errShort
	}
	d.b = d.b[n:]
	return x, nil
}

// length reads a length of elements each at least min bytes long (0 for
// elements that may encode to nothing) and checks it against what is left.
func (d *decoder) length(min int) (int, error) {
	n, err := d.uvarint()
	if err != nil {
		return 0, err
	}
	if n > math.MaxInt32 || min > 0 && n > uint64(len(d.b)/min) {
		return 0, errShort
	}
	return int(n), nil
}

// present reads the 0 (nil) or length+1 prefix of a slice or map.
func (d *decoder) present(min int) (n int, ok bool, err error) {
	n, err = d.length(0)
	if err != nil || n == 0 {
		return 0, false, err
	}
	n--
	if min > 0 && n > len(d.b)/min {
		return 0, false, errShort
	}
	return n, true, nil
}

func (d *decoder) value(v reflect.Value, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("codec: %s nested more than %d deep", v.Type(), maxDepth)
	}
	switch v.Kind() {
	case reflect.Bool:
		if len(d.b) == 0 || d.b[0] > 1 {
			return errShort
		}
		v.SetBool(d.b[0] == 1)
		d.b = d.b[1:]
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		x, n := binary.Varint(d.b)
		if n <= 0 || v.OverflowInt(x) {
			return fmt.Errorf("codec: bad %s", v.Type())
		}
		d.b = d.b[n:]
		v.SetInt(x)
		return nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		x, err := d.uvarint()
		if err != nil || v.OverflowUint(x) {
			return fmt.Errorf("codec: bad %s", v.Type())
		}
		v.SetUint(x)
		return nil
	case reflect.Float32, reflect.Float64:
		if len(d.b) < 8 {
			return errShort
		}
		v.SetFloat(math.Float64frombits(binary.BigEndian.Uint64(d.b)))
		d.b = d.b[8:]
		return nil
	case reflect.String:
		n, err := d.length(1)
		if err != nil {
			return err
		}
		v.SetString(string(d.b[:n]))
		d.b = d.b[n:]
		return nil
	case reflect.Slice:
		et := v.Type().Elem()
		n, ok, err := d.present(minSize(et))
		if err != nil || !ok {
			return err
		}
		if et.Kind() == reflect.Uint8 {
			s := reflect.MakeSlice(v.Type(), n, n)
			copy(s.Bytes(), d.b[:n])
			d.b = d.b[n:]
			v.Set(s)
			return nil
		}
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := 0; i < n; i++ {
			if err := d.value(s.Index(i), depth+1); err != nil {
				return err
			}
		}
		v.Set(s)
		return nil
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if err := d.value(v.Index(i), depth+1); err != nil {
				return err
			}
		}
		return nil
	case reflect.Pointer:
		if len(d.b) == 0 || d.b[0] > 1 {
			return errShort
		}
		nonNil := d.b[0] == 1
		d.b = d.b[1:]
		if !nonNil {
			v.SetZero()
			return nil
		}
		p := reflect.New(v.Type().Elem())
		if err := d.value(p.Elem(), depth+1); err != nil {
			return err
		}
		v.Set(p)
		return nil
	case reflect.Map:
		t := v.Type()
		n, ok, err := d.present(minSize(t.Key()) + minSize(t.Elem()))
		if err != nil || !ok {
			return err
		}
		m := reflect.MakeMapWithSize(t, n)
		for i := 0; i < n; i++ {
			k, e := reflect.New(t.Key()).Elem(), reflect.New(t.Elem()).Elem()
			if err := d.value(k, depth+1); err != nil {
				return err
			}
			if err := d.value(e, depth+1); err != nil {
				return err
			}
			m.SetMapIndex(k, e)
		}
		v.Set(m)
		return nil
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			if !t.Field(i).IsExported() {
				return fmt.Errorf("codec: %s.%s is unexported", t, t.Field(i).Name)
			}
			if err := d.value(v.Field(i), depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("codec: cannot decode %s", v.Type())
}

// minSize is the fewest bytes a value of type t encodes to.
func minSize(t reflect.Type) int {
	switch t.Kind() {
	case reflect.Float32, reflect.Float64:
		return 8
	case reflect.Array:
		return t.Len() * minSize(t.Elem())
	case reflect.Struct:
		n := 0
		for i := 0; i < t.NumField(); i++ {
			n += minSize(t.Field(i).Type)
		}
		return n
	}
	return 1
}

// typeFingerprint returns a short hash of the layout of the given values'
// types as the codec sees them: kinds, field names and order, element
// types, recursively. Two binaries whose fingerprints match can exchange
// those values.
func typeFingerprint(vs ...any) string {
	var b strings.Builder
	seen := map[reflect.Type]bool{}
	for _, v := range vs {
		describe(&b, reflect.TypeOf(v), seen)
		b.WriteByte(';')
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:8])
}

func describe(b *strings.Builder, t reflect.Type, seen map[reflect.Type]bool) {
	if t.Name() != "" {
		b.WriteString(t.PkgPath() + "." + t.Name())
		if seen[t] {
			return
		}
		seen[t] = true
		b.WriteByte('=')
	}
	switch t.Kind() {
	case reflect.Slice:
		b.WriteString("[]")
		describe(b, t.Elem(), seen)
	case reflect.Array:
		fmt.Fprintf(b, "[%d]", t.Len())
		describe(b, t.Elem(), seen)
	case reflect.Pointer:
		b.WriteByte('*')
		describe(b, t.Elem(), seen)
	case reflect.Map:
		b.WriteString("map[")
		describe(b, t.Key(), seen)
		b.WriteByte(']')
		describe(b, t.Elem(), seen)
	case reflect.Struct:
		b.WriteString("struct{")
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			b.WriteString(f.Name + " ")
			describe(b, f.Type, seen)
			b.WriteByte(';')
		}
		b.WriteByte('}')
	default:
		b.WriteString(t.Kind().String())
	}
}
