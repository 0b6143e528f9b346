// Package scoring indexes parsed resumes with bleve, finds a job profile's
// term groups in them with evidence, and scores and ranks candidates in
// batches with bounded memory.
//
// An Index holds one document per candidate. The text it matches is the
// resume's visible text with the contact details blanked out, so a name, an
// email address or a link can never count as evidence. A Matcher answers
// rules.TermQuery for one candidate; all candidates of an index share each
// query's search, so a batch of N resumes costs one bleve search per distinct
// query rather than N. A Scorer streams resumes through such batches, and
// Rank and Top order the results.
package scoring
