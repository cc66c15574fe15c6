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
	// schema.BudgetMemory); 0 means schema.ReadPerByte.
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
	set, err := o.loader("reading", cmp.Or(o.PerByte, schema.ReadPerByte)).LoadPaths(paths)
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
	set, name, err := readBase(head, dir, ref, o.loader("reading the base", schema.PlanPerByte), nil)
	if err != nil {
		return nil, nil, Result{}, "", err
	}
	org := Build(set)
	return set, org, org.Check(set, o.Check), name, nil
}

// readBase reads the base of LoadBase with loader, and returns what it
// read and its name. listed, when set, is called once the base's files
// are listed, before they are decoded.
func readBase(head, dir, ref string, loader *schema.Loader, listed func()) (*schema.Set, string, error) {
	if listed == nil {
		listed = func() {}
	}
	if dir != "" {
		files, err := loader.List([]string{dir})
		if err != nil {
			return nil, dir, err
		}
		listed()
		return loader.LoadListed(files), dir, nil
	}
	files, err := schema.ReadGitTree(head, ref)
	var ge *schema.GitError
	switch {
	case errors.As(err, &ge):
		return nil, "", err
	case err != nil:
		return nil, "", fmt.Errorf("reading the base %s: %w", ref, err)
	}
	listed()
	return loader.LoadFiles(files, filepath.ToSlash(filepath.Clean(head))), ref, nil
}

// LoadPlan reads and checks the org at head and the base it is compared
// with (dir, else ref: see LoadBase), and diffs them (see Diff). Both
// orgs are alive at once, so the heap is budgeted as schema.PlanPerByte
// says, and what they share is decoded once: the files both hold, and in
// the files the change touched, the documents it left as they were (see
// schema.Cache), and the head's build and check work out again only
// what the change touched (see buildFrom and checkFrom). It returns the plan, the head's Org and Result (what
// GitHub is told) and the base's name.
func LoadPlan(head, dir, ref string, o LoadOptions) (Plan, *Org, Result, string, error) {
	o.PerByte = schema.PlanPerByte
	if o.Cache == nil {
		o.Cache = schema.NewCache()
	}
	o.Cache.KeepStrings() // the head interns into the base's table
	defer o.Cache.Release()
	// The base is read first, so that the head finds the base's version
	// of every file it holds decoded, and decodes only what the change
	// touched. Both keep both cores busy: the head's files are listed
	// while the base's are (one core walks a tree), the base's files are
	// decoded on every core, and then its build and check run while the
	// head is read; once the head is built, its check and the diff of
	// objects (which needs no findings) run at once. One progress line
	// counts the files of both.
	go schema.Prepare() // while the base's files are listed and decoded
	progress := func(int, int) {}
	if o.Progress != nil {
		if p := o.Progress("reading"); p != nil {
			progress = p
		}
	}
	quiet := o
	quiet.Progress = nil
	bl := quiet.loader("", schema.PlanPerByte)
	baseFiles := 0
	bl.Progress = func(done, total int) {
		baseFiles = total
		progress(done, 2*total)
	}
	hl := quiet.loader("", schema.PlanPerByte)
	hl.Progress = func(done, total int) { progress(baseFiles+done, baseFiles+total) }
	type listing struct {
		files *schema.Listing
		err   error
	}
	headListed := make(chan listing, 1)
	go func() {
		files, err := hl.List([]string{head})
		headListed <- listing{files, err}
	}()
	var listed listing
	baseSet, baseName, baseErr := readBase(head, dir, ref, bl, func() {
		// The base's decoding keeps what comparing the files the change
		// touched needs (see schema.Cache.Expect).
		if listed = <-headListed; listed.err == nil {
			o.Cache.Expect(listed.files)
		}
	})
	if baseErr != nil {
		listed = <-headListed // the base failed before its files were listed
	}
	baseBuilt := make(chan *Org, 1)
	baseChecked := make(chan Result, 1)
	baseMemo := make(chan *checkMemo, 1)
	if baseErr == nil {
		go func() {
			org := Build(baseSet)
			baseBuilt <- org
			res, memo := org.checkKeeping(baseSet, o.Check)
			baseChecked <- res
			baseMemo <- memo
		}()
	}
	var headSet *schema.Set
	err := listed.err
	if err == nil {
		headSet = hl.LoadListed(listed.files)
		err = headSet.NothingToCheck([]string{head})
	}
	if err == nil {
		err = baseErr // the head's error first, as when it was read first
	}
	if err != nil {
		return Plan{}, nil, Result{}, "", err
	}
	// The head's build and check take from the base's what the change
	// left as it was (see buildFrom and checkFrom).
	baseOrg := <-baseBuilt
	headOrg := buildFrom(headSet, baseOrg)
	headChecked := make(chan Result, 1)
	go func() { headChecked <- headOrg.checkFrom(headSet, o.Check, <-baseMemo) }()
	changes := diffObjects(baseOrg, headOrg)
	headRes := <-headChecked
	return planOf(changes, <-baseChecked, headRes), headOrg, headRes, baseName, nil
}
