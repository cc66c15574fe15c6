package reconcile

import (
	"cmp"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/orgctl/orgctl/schema"
)

// LoadOptions say how an org is read and checked: what every command that
// reads an org shares (--max-file-size, --exclude, --today), parsed.
type LoadOptions struct {
	// MaxFileSize, Exclude, Precheck and Cache are those of schema.Loader.
	MaxFileSize int64
	Exclude     []string
	Precheck    schema.PrecheckMode
	Cache       *schema.Cache
	// PerByte is the heap budgeted per byte of YAML (see
	// schema.BudgetMemory); 0 means schema.ValidatePerByte.
	PerByte float64
	// Progress, when set, gives the loader's progress callback for a load
	// that what describes ("reading", "reading the base").
	Progress func(what string) func(done, total int)
	// Check are the options of the rules: the day they judge by.
	Check Options
	// Built, when set, is called with the Org LoadOrg built, before it is
	// checked: get starts preparing its views then, on the core the
	// checks leave idle (see OrgView.Prepare).
	Built func(*Org)
}

// loader is the schema.Loader of o for a load that what describes, with
// perByte heap budgeted per byte of YAML.
func (o LoadOptions) loader(what string, perByte float64) *schema.Loader {
	l := &schema.Loader{MaxFileSize: o.MaxFileSize, Sizes: schema.BudgetMemory(perByte), Cache: o.Cache, Exclude: o.Exclude, Precheck: o.Precheck}
	if o.Progress != nil {
		l.Progress = o.Progress(what)
	}
	return l
}

// Load reads the org at paths and checks it. A load that finds nothing to
// check is refused (see schema.Set.NothingToCheck); the set read is then
// returned with the error, so that a caller can list what was skipped.
func Load(paths []string, o LoadOptions) (*schema.Set, Result, error) {
	set, _, res, err := LoadOrg(paths, o)
	return set, res, err
}

// LoadOrg is Load that also returns the Org it built to check, for the
// commands that show it (get, describe, graph): one build, not two. The
// Org is nil when the error is not.
func LoadOrg(paths []string, o LoadOptions) (*schema.Set, *Org, Result, error) {
	set, err := o.loader("reading", cmp.Or(o.PerByte, schema.ValidatePerByte)).LoadPaths(paths)
	if err != nil {
		return nil, nil, Result{}, err
	}
	if err := set.NothingToCheck(paths); err != nil {
		return set, nil, Result{}, err
	}
	org := Build(set)
	if o.Built != nil {
		o.Built(org)
	}
	return set, org, org.Check(set, o.Check), nil
}

// LoadBase reads and checks the org a plan compares with: the directory
// dir when it is set, else the files under head (a directory of a git
// working tree) as they are at the git revision ref. Like LoadOrg it
// returns the Org it built to check; it also returns what was read, dir
// or ref, for the plan to name. Base and head are both kept alive, so the
// heap is budgeted as schema.PlanPerByte says.
func LoadBase(head, dir, ref string, o LoadOptions) (*schema.Set, *Org, Result, string, error) {
	set, org, name, err := readBase(head, dir, ref, o)
	if err != nil {
		return nil, nil, Result{}, "", err
	}
	return set, org, org.Check(set, o.Check), name, nil
}

// readBase is LoadBase without the check: the base read and built.
func readBase(head, dir, ref string, o LoadOptions) (*schema.Set, *Org, string, error) {
	loader := o.loader("reading the base", schema.PlanPerByte)
	name := dir
	var set *schema.Set
	if dir != "" {
		var err error
		if set, err = loader.LoadPaths([]string{dir}); err != nil {
			return nil, nil, "", err
		}
	} else {
		files, err := schema.ReadGitTree(head, ref)
		var ge *schema.GitError
		switch {
		case errors.As(err, &ge):
			return nil, nil, "", err
		case err != nil:
			return nil, nil, "", fmt.Errorf("reading the base %s: %w", ref, err)
		}
		set, name = loader.LoadFiles(files, filepath.ToSlash(filepath.Clean(head))), ref
	}
	return set, Build(set), name, nil
}

// LoadPlan reads and checks the org at head and the base it is compared
// with (dir, else ref: see LoadBase), and diffs them (see Diff). Both
// orgs are alive at once, so the heap is budgeted as schema.PlanPerByte
// says, and the files they share are decoded once: the two orgs share
// those documents. It returns the plan, the head's Org and Result (what
// GitHub is told) and the base's name.
func LoadPlan(head, dir, ref string, o LoadOptions) (Plan, *Org, Result, string, error) {
	o.PerByte = schema.PlanPerByte
	if o.Cache == nil {
		o.Cache = schema.NewCache()
	}
	// The base is read while the head is: each load keeps both cores
	// busy only part of the time (building and checking an org is mostly
	// one goroutine), and the files they share are decoded once, by
	// whichever comes first. Once both are built, the base's check, the
	// head's and the diff of their objects (which needs no findings) run
	// at once. One progress line is enough: the head's.
	type built struct {
		org  *Org
		name string
		err  error
	}
	baseBuilt := make(chan built, 1)
	baseChecked := make(chan Result, 1)
	go func() {
		bo := o
		bo.Progress = nil
		set, org, name, err := readBase(head, dir, ref, bo)
		baseBuilt <- built{org, name, err}
		if err == nil {
			baseChecked <- org.Check(set, o.Check)
		}
	}()
	headSet, err := o.loader("reading", schema.PlanPerByte).LoadPaths([]string{head})
	if err == nil {
		err = headSet.NothingToCheck([]string{head})
	}
	if err != nil {
		<-baseBuilt
		return Plan{}, nil, Result{}, "", err
	}
	headOrg := Build(headSet)
	headChecked := make(chan Result, 1)
	go func() { headChecked <- headOrg.Check(headSet, o.Check) }()
	base := <-baseBuilt
	if base.err != nil {
		<-headChecked
		return Plan{}, nil, Result{}, "", base.err
	}
	changes := diffObjects(base.org, headOrg)
	headRes := <-headChecked
	return planOf(changes, <-baseChecked, headRes), headOrg, headRes, base.name, nil
}
