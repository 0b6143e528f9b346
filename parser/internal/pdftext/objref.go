package pdftext

import (
	"reflect"

	"github.com/ledongthuc/pdf"
)

// The library does not say which indirect object a Value was read from, but
// it keeps it: a pdf.Value has an unexported field ptr {id uint32; gen
// uint16}. For a value reached through an indirect reference ptr is that
// object's own number; for a value written inline it is the number of the
// object it is written in, so inline siblings share it. The field is read
// here, read-only, to give per-document caches an identity cheaper than
// formatting the whole value with String. If the library changes shape the
// lookups below fail and callers fall back to String.
var valuePtr = func() (f struct{ ptr, id, gen int }) {
	f.ptr, f.id, f.gen = -1, -1, -1
	ptr, ok := reflect.TypeFor[pdf.Value]().FieldByName("ptr")
	if !ok || ptr.Type.Kind() != reflect.Struct || len(ptr.Index) != 1 {
		return f
	}
	id, ok1 := ptr.Type.FieldByName("id")
	gen, ok2 := ptr.Type.FieldByName("gen")
	if !ok1 || !ok2 || id.Type.Kind() != reflect.Uint32 || gen.Type.Kind() != reflect.Uint16 ||
		len(id.Index) != 1 || len(gen.Index) != 1 {
		return f
	}
	f.ptr, f.id, f.gen = ptr.Index[0], id.Index[0], gen.Index[0]
	return f
}()

// objectOf returns the number and generation of the object v was read from,
// packed in one integer, or false when the library's Value does not have
// the expected shape.
func objectOf(v pdf.Value) (uint64, bool) {
	if valuePtr.ptr < 0 {
		return 0, false
	}
	p := reflect.ValueOf(v).Field(valuePtr.ptr)
	return p.Field(valuePtr.id).Uint()<<16 | p.Field(valuePtr.gen).Uint(), true
}

// ownObject returns the identity of v, looked up in container (a dictionary
// or array), when v is an indirect object of its own: when its object
// differs from the container's, as an inline value carries its container's.
// Within one document equal identities then mean the same object, read from
// the same bytes. It returns false when that cannot be shown.
func ownObject(v, container pdf.Value) (uint64, bool) {
	id, ok := objectOf(v)
	if !ok {
		return 0, false
	}
	cid, ok := objectOf(container)
	if !ok || cid == id {
		return 0, false
	}
	return id, true
}
