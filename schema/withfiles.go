package schema

// WithFiles returns a copy of the set in which the files named in contents
// (by Source.File, as the set shows them) are decoded from the new contents
// instead, exactly as the loader would decode them; everything else is
// shared. It lets a command validate edits in memory before writing them.
// A file that the set does not hold is ignored.
func (s *Set) WithFiles(contents map[string][]byte) *Set {
	rel := map[string]string{}
	for _, d := range s.Documents {
		rel[d.Source.File] = d.Source.Rel
	}
	for _, p := range s.Problems {
		if _, ok := rel[p.File]; !ok {
			rel[p.File] = p.Rel
		}
	}
	decoded := map[string]fileResult{}
	for file, data := range contents {
		if r, ok := rel[file]; ok {
			decoded[file] = DecodeFile(data, file, r)
		}
	}
	out := &Set{Files: s.Files}
	done := map[string]bool{}
	flush := func(file string) bool {
		r, ok := decoded[file]
		if !ok {
			return false
		}
		if !done[file] {
			done[file] = true
			out.Documents = append(out.Documents, r.docs...)
			out.Problems = append(out.Problems, r.problems...)
			out.Skipped = append(out.Skipped, r.skipped...)
		}
		return true
	}
	for _, d := range s.Documents {
		if !flush(d.Source.File) {
			out.Documents = append(out.Documents, d)
		}
	}
	for _, p := range s.Problems {
		if _, ok := decoded[p.File]; !ok {
			out.Problems = append(out.Problems, p)
		} else {
			flush(p.File)
		}
	}
	for _, sk := range s.Skipped {
		if _, ok := decoded[sk.File]; !ok {
			out.Skipped = append(out.Skipped, sk)
		}
	}
	return out
}
