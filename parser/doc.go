// Package parser turns resume files (PDF, DOCX, plain text, Markdown) into
// structured profiles: sections, positions with dates, education,
// certifications and contact details kept apart.
//
// It knows nothing of jobs or scores, holds no global state and does no I/O
// beyond the reader it is given. A broken document is an error value, never a
// panic; limits on bytes, pages, decompressed size and time are enforced.
// Documents from untrusted sources are best parsed in child processes (see
// package parser/worker), where a deadline and a memory cap can be enforced
// on a library that loops or allocates without bound.
package parser
