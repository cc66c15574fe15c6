package reconcile_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/orgctl/orgctl/reconcile"
	"github.com/orgctl/orgctl/reconcile/render"
	"github.com/orgctl/orgctl/schema"
)

var ruleIDPattern = regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`)

// TestRegistryIsComplete walks the registry: every rule says everything
// the outputs need, exactly one thing emits its findings, the JSON Schema
// accepts exactly the rules a Policy can configure, and RULES.md is what
// the registry says.
func TestRegistryIsComplete(t *testing.T) {
	seen := map[reconcile.RuleID]bool{}
	var configurable []string
	for i, r := range reconcile.Rules() {
		if !ruleIDPattern.MatchString(string(r.ID)) || seen[r.ID] {
			t.Errorf("rule %d: id %q is not a unique kebab-case id", i, r.ID)
		}
		seen[r.ID] = true
		if got, ok := reconcile.LookupRule(r.ID); !ok || got != r || reconcile.RuleOrder(r.ID) != i {
			t.Errorf("%s: LookupRule or RuleOrder does not find it at %d", r.ID, i)
		}
		if r.Default != reconcile.Error && r.Default != reconcile.Warning {
			t.Errorf("%s: default severity %s, want error or warning", r.ID, r.Default)
		}
		for what, s := range map[string]string{"summary": r.Summary, "rationale": r.Rationale, "fix": r.Fix} {
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s has no %s", r.ID, what)
			}
		}
		if !strings.HasPrefix(r.FingerprintForm, string(r.ID)+"/") {
			t.Errorf("%s: fingerprint form %q does not start with the rule", r.ID, r.FingerprintForm)
		}
		if !reconcile.HasOrigin(r) {
			t.Errorf("%s: want exactly one of the loader, a Check or a Pairing to emit its findings", r.ID)
		}
		if p := r.Pairing; p != nil && (p.Breaks == nil || p.Explain == nil || !p.Coach && !p.Mentor) {
			t.Errorf("%s: a pairing rule needs Breaks, Explain and the roles it judges", r.ID)
		}
		if r.Issue && r.Title == nil {
			t.Errorf("%s opens issues by default but has no issue title", r.ID)
		}
		if !r.FromLoader() {
			configurable = append(configurable, string(r.ID))
		}
	}

	// The JSON Schema lets a Policy configure, exempt from and open issues
	// for every rule the checks emit, with the rule's parameters. (It may
	// name rules whose entries are still to come: issue 17's rules reached
	// the schema first.)
	var s struct {
		Definitions struct {
			RuleID     struct{ Enum []string } `json:"ruleId"`
			PolicySpec struct {
				Properties struct {
					Rules struct {
						Properties map[string]struct {
							Ref        string         `json:"$ref"`
							Properties map[string]any `json:"properties"`
						} `json:"properties"`
					} `json:"rules"`
				} `json:"properties"`
			} `json:"policySpec"`
		} `json:"definitions"`
	}
	if err := json.Unmarshal(schema.JSON, &s); err != nil {
		t.Fatal(err)
	}
	enum := s.Definitions.RuleID.Enum
	props := s.Definitions.PolicySpec.Properties.Rules.Properties
	for _, id := range configurable {
		if !slices.Contains(enum, id) {
			t.Errorf("the schema's ruleId enum lacks %s: a Policy could not exempt from it or open issues for it", id)
		}
		p, ok := props[id]
		if !ok {
			t.Errorf("the schema's Policy.spec.rules lacks %s: a Policy could not set its severity", id)
			continue
		}
		r, _ := reconcile.LookupRule(reconcile.RuleID(id))
		want := append([]string{"severity"}, r.Params...)
		got := []string{"severity"}
		if p.Ref == "" {
			got = slices.Sorted(maps.Keys(p.Properties))
		}
		if slices.Sort(want); !slices.Equal(got, want) {
			t.Errorf("the schema lets Policy.spec.rules.%s set %v, the registry says %v", id, got, want)
		}
	}

	var md bytes.Buffer
	if err := render.RulesMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if file, err := os.ReadFile("RULES.md"); err != nil || !bytes.Equal(file, md.Bytes()) {
		t.Errorf("RULES.md is not what the registry says (%v): run go test ./cmd/orgctl -run RulesReference -update and review the diff", err)
	}
}

// TestAddingARuleIsOneEntry registers two throwaway rules, each as one
// registry entry, and finds them in everything derived from the registry:
// the catalogue, the checker, the pairing predicate, default issue rules
// and their titles, structural ranking, SARIF rules and `orgctl rules`.
func TestAddingARuleIsOneEntry(t *testing.T) {
	reconcile.WithThrowawayRules(t)
	one, pair := reconcile.ThrowawayRule, reconcile.ThrowawayPairRule

	if r, ok := reconcile.LookupRule(one); !ok || r.ID != one || reconcile.RuleOrder(pair) != len(reconcile.Rules())-1 {
		t.Fatalf("the registry does not list the new rules last")
	}
	if !slices.Contains(reconcile.DefaultIssueRules(), one) || slices.Contains(reconcile.DefaultIssueRules(), pair) {
		t.Errorf("default issue rules %v: want %s (Issue) and not %s", reconcile.DefaultIssueRules(), one, pair)
	}
	if reconcile.IsStructural(one) {
		t.Errorf("%s is not structural", one)
	}

	docs := []string{
		"apiVersion: orgctl.dev/v1\nkind: Policy\nmetadata: {name: default}\nspec:\n  roots: [boss]\n",
		"apiVersion: orgctl.dev/v1\nkind: Team\nmetadata: {name: eng}\nspec: {manager: boss}\n",
		person("boss", "team: eng, level: executive, coach: ext"),
		person("ext", "external: true"),
		person("zzcoach", "team: eng, level: senior, coach: ext"),
		person("ann", "team: eng, level: mid, coach: zzcoach"),
	}
	fsys := fstest.MapFS{}
	for i, d := range docs {
		fsys[fmt.Sprintf("f%d.yaml", i)] = &fstest.MapFile{Data: []byte(d)}
	}
	set, err := (&schema.Loader{}).LoadFS(fsys, ".", "")
	if err != nil {
		t.Fatal(err)
	}
	o := reconcile.Build(set)
	res := o.Check(set, reconcile.Options{Today: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.Fingerprint+" "+f.Severity.String()+" "+f.Message)
	}
	want := []string{
		"test-throwaway/zzcoach warning zzcoach is a test subject",
		"test-throwaway-pair/ann/zzcoach error ann is coached by a test subject",
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%q\nwant\n%q", got, want)
	}
	rule, why := o.MayPair(reconcile.Pair{Role: reconcile.RoleCoach, Coach: o.Person("zzcoach"), Person: o.Person("boss")})
	if rule != pair || why != "boss is coached by a test subject" {
		t.Errorf("MayPair(zzcoach coaches boss) = %q, %q; want %s forbids it", rule, why, pair)
	}

	issues := o.DesiredIssues(res)
	if len(issues) != 1 || issues[0].Fingerprint != "test-throwaway/zzcoach" || issues[0].Title != "zzcoach is a test subject" ||
		!slices.Contains(issues[0].Labels, "orgctl/test-throwaway") {
		t.Errorf("desired issues %+v: want one titled by the new rule", issues)
	}

	var sarif bytes.Buffer
	if err := render.SARIF(&sarif, res, render.Options{}); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"id": "test-throwaway"`, `"name": "TestThrowaway"`, `"ruleId": "test-throwaway-pair"`, "Rules exist only to be tested."} {
		if !strings.Contains(sarif.String(), s) {
			t.Errorf("SARIF lacks %s", s)
		}
	}
	for _, format := range render.RuleFormats {
		var b bytes.Buffer
		if err := render.WriteRules(format, &b); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), "test-throwaway-pair") || !strings.Contains(b.String(), "a person's name starts with zz") {
			t.Errorf("orgctl rules -o %s does not list the new rules", format)
		}
	}
}

func person(name, spec string) string {
	return fmt.Sprintf("apiVersion: orgctl.dev/v1\nkind: Person\nmetadata: {name: %s}\nspec: {displayName: %s, %s}\n", name, name, spec)
}

// TestPrivateFindingsAreCountedNeverNamed: a private rule's findings are
// shown in full locally (text, json), and everywhere orgctl publishes
// (annotations, the step summary, SARIF, plan JSON and the plan comment,
// issues) they are counted, never named; they still count as errors.
func TestPrivateFindingsAreCountedNeverNamed(t *testing.T) {
	reconcile.WithPrivateRule(t)
	base := []string{
		"apiVersion: orgctl.dev/v1\nkind: Policy\nmetadata: {name: default}\nspec:\n  roots: [boss]\n",
		"apiVersion: orgctl.dev/v1\nkind: Team\nmetadata: {name: eng}\nspec: {manager: boss}\n",
		person("boss", "team: eng, level: executive, coach: ext"),
		person("ext", "external: true"),
	}
	head := append(slices.Clone(base), person("zzann", "team: eng, level: mid, coach: ext"))
	bo, bres := load(t, base)
	o, res := load(t, head)
	if res.Summary.Errors != 1 {
		t.Fatalf("summary %+v: the private finding must count as an error", res.Summary)
	}
	const secret, note = "secret-other", "1 private finding (test-private) not shown here: run orgctl validate locally"

	for _, format := range []string{"text", "json"} {
		var b bytes.Buffer
		if err := render.Write(format, &b, res, render.Options{}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), secret) {
			t.Errorf("-o %s (local) does not show the private finding in full", format)
		}
	}
	var gh, summary, sarif bytes.Buffer
	if err := render.GitHub(&gh, res, render.Options{StepSummary: &summary}); err != nil {
		t.Fatal(err)
	}
	if err := render.SARIF(&sarif, res, render.Options{}); err != nil {
		t.Fatal(err)
	}
	doc := render.NewPlanDocument(reconcile.Diff(bo, bres, o, res), "main", "")
	planJSON, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	back, err := render.ReadPlanDocument(bytes.NewReader(append(planJSON[:len(planJSON)-1], []byte(`,"headSha":"`+strings.Repeat("a", 40)+`"}`)...)))
	if err != nil {
		t.Fatal(err)
	}
	comment := render.PlanMarkdown(back.Plan, render.PlanOptions{})
	for name, out := range map[string]string{"annotations": gh.String(), "step summary": summary.String(), "sarif": sarif.String(), "plan json": string(planJSON), "plan comment": comment} {
		if strings.Contains(out, secret) || strings.Contains(out, "test-private/zzann") {
			t.Errorf("%s names the private finding", name)
		}
		if name != "plan json" && name != "sarif" && !strings.Contains(strings.ToLower(out), note) {
			t.Errorf("%s does not count the private finding:\n%s", name, out)
		}
	}
	if !strings.Contains(sarif.String(), `"orgctl/privateFindings": 1`) {
		t.Error("SARIF does not count the private finding")
	}
	if !strings.Contains(comment, "introduces 1 error") {
		t.Error("the plan comment's verdict does not count the private error")
	}
	if issues := o.DesiredIssues(res); len(issues) != 0 {
		t.Errorf("a private finding asked for an issue: %+v", issues)
	}
}

func load(t *testing.T, docs []string) (*reconcile.Org, reconcile.Result) {
	t.Helper()
	fsys := fstest.MapFS{}
	for i, d := range docs {
		fsys[fmt.Sprintf("f%d.yaml", i)] = &fstest.MapFile{Data: []byte(d)}
	}
	set, err := (&schema.Loader{}).LoadFS(fsys, ".", "")
	if err != nil {
		t.Fatal(err)
	}
	o := reconcile.Build(set)
	return o, o.Check(set, reconcile.Options{Today: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})
}
