package history

import "github.com/orgctl/orgctl/schema"

// OfSet is Of for the org set, read from paths (the files and
// directories given to -f; none means the current directory): the files'
// side of the history is set's valid Person documents.
func OfSet(name string, set *schema.Set, paths []string, loader *schema.Loader, useGit bool) (History, bool) {
	var people []*schema.Person
	for _, d := range set.Documents {
		if d.Person != nil {
			people = append(people, d.Person)
		}
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	return Of(name, people, paths, loader, useGit)
}
