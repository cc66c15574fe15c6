package render

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"slices"

	"github.com/orgctl/orgctl/reconcile/report"
)

// reportCSS is the report's only style sheet. The Content-Security-Policy
// allows exactly this text (by its hash): no other style, no script, no
// font, image or connection, so the file shows the same offline, from an
// artifact or a mail attachment, and nothing in it can call out.
const reportCSS = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#fff;max-width:60rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}
.muted{color:#59636e}.stats{display:flex;flex-wrap:wrap;gap:1rem;padding:0;list-style:none}
.stats li{border:1px solid #d0d7de;border-radius:6px;padding:.6rem 1rem;min-width:9rem}.stats b{display:block;font-size:1.5rem}
table{border-collapse:collapse;margin:.8rem 0}th,td{border:1px solid #d0d7de;padding:.25rem .6rem;text-align:left}td.n,th.n{text-align:right}
caption{text-align:left;font-weight:600;padding:.3rem 0}
svg{display:block;max-width:100%;height:auto;margin:.5rem 0}svg text{font:12px system-ui,sans-serif;fill:#59636e}
.axis{stroke:#8c959f;stroke-width:1}.grid{stroke:#eaeef2;stroke-width:1}
.coach{stroke:#0969da;fill:none;stroke-width:2}.mentor{stroke:#8250df;fill:none;stroke-width:2;stroke-dasharray:6 3}
circle.coach{fill:#0969da}circle.mentor{fill:#8250df}
rect.ok{fill:#2da44e}rect.over{fill:#cf222e}rect.gap{fill:#0969da}rect.below{fill:#bf8700}
.cap{stroke:#1f2328;stroke-width:2}.over-text{color:#cf222e;font-weight:600}
.key span{display:inline-block;width:1.2em;height:.25em;vertical-align:middle;margin:0 .3em 0 1em}.key .k-coach{background:#0969da}.key .k-mentor{background:#8250df}
`

// ReportCSP is the Content-Security-Policy of the HTML report.
var ReportCSP = func() string {
	sum := sha256.Sum256([]byte(reportCSS))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; img-src 'none'; base-uri 'none'; form-action 'none'"
}()

// Chart sizes, in SVG user units.
const (
	chartW     = 640
	maxBars    = 40 // the load chart draws the most loaded coaches; the table lists all
	barRow     = 22
	labelWidth = 140
)

type svgMark struct {
	X, Y  float64
	Title string
}

type svgSeries struct {
	Class, Name string
	Points      string // polyline points
	Marks       []svgMark
}

type svgText struct {
	X, Y float64
	Text string
}

type svgLine struct{ X1, Y1, X2, Y2 float64 }

type svgBar struct {
	X, Y, W, H float64
	Class      string
	Title      string
	Label      svgText
	Cap        *svgLine
}

type svgChart struct {
	H      int
	Series []svgSeries
	Bars   []svgBar
	Labels []svgText
	Grid   []svgLine
	Axes   []svgLine
}

type reportView struct {
	R       report.Report
	CSP     string
	Trend   *svgChart
	Load    *svgChart
	Gaps    *svgChart
	Drawn   int // coaches drawn in the load chart
	Over    int
	CoachP  string
	MentorP string
	CrossP  string
	NotSeen string
	Shallow string
}

// ReportHTML writes the report as one self-contained HTML file: charts as
// inline SVG, each with a title and a description and followed by a table
// of the same numbers; no script, font or image, and a strict
// Content-Security-Policy. html/template escapes every name from the org.
func ReportHTML(w io.Writer, r report.Report) error {
	r = oneLineNames(r)
	v := reportView{
		R: r, CSP: ReportCSP,
		CoachP: percent(r.Coverage.CoachShare()), MentorP: percent(r.Coverage.MentorShare()),
		CrossP: percent(r.CrossDivision.Share()),
	}
	for _, l := range r.Load {
		if l.Over() {
			v.Over++
		}
	}
	if len(r.Trend.NotSeen) > 0 {
		v.NotSeen, v.Shallow = monthRange(r.Trend.NotSeen), shallowWhy(r.Trend)
	}
	v.Trend = trendChart(r.Trend.Points)
	v.Load, v.Drawn = loadChart(r.Load)
	v.Gaps = gapChart(r.LevelGaps.Histogram)
	return reportTemplate.Execute(w, v)
}

// oneLineNames returns r with every name and note from the org passed
// through oneLine: html/template escapes markup but keeps control
// characters, which have no place in an HTML file.
func oneLineNames(r report.Report) report.Report {
	r.Load = slices.Clone(r.Load)
	for i := range r.Load {
		r.Load[i].Coach = oneLine(r.Load[i].Coach)
	}
	r.RotationsDue = slices.Clone(r.RotationsDue)
	for i := range r.RotationsDue {
		d := &r.RotationsDue[i]
		d.Person, d.Coach = oneLine(d.Person), oneLine(d.Coach)
	}
	r.Undated = slices.Clone(r.Undated)
	for i := range r.Undated {
		u := &r.Undated[i]
		u.Person, u.Other, u.Domain = oneLine(u.Person), oneLine(u.Other), oneLine(u.Domain)
	}
	r.Trend.Note = oneLine(r.Trend.Note)
	return r
}

func trendChart(ps []report.TrendPoint) *svgChart {
	if len(ps) == 0 {
		return nil
	}
	const h, top, bottom, left, right = 240, 12, 40, 44, 32
	c := &svgChart{H: h}
	plotH := float64(h - top - bottom)
	y := func(share float64) float64 { return top + plotH*(1-share) }
	step := 0.0
	if len(ps) > 1 {
		step = float64(chartW-left-right) / float64(len(ps)-1)
	}
	x := func(i int) float64 {
		if len(ps) == 1 {
			return float64(left + (chartW-left-right)/2)
		}
		return left + step*float64(i)
	}
	for _, pct := range []int{0, 25, 50, 75, 100} {
		yy := y(float64(pct) / 100)
		c.Grid = append(c.Grid, svgLine{left, yy, chartW - right, yy})
		c.Labels = append(c.Labels, svgText{4, yy + 4, fmt.Sprintf("%d%%", pct)})
	}
	c.Axes = []svgLine{{left, top, left, y(0)}, {left, y(0), chartW - right, y(0)}}
	every := (len(ps) + 11) / 12 // at most 12 month labels
	for i, p := range ps {
		if i%every == 0 || i == len(ps)-1 {
			c.Labels = append(c.Labels, svgText{x(i) - 22, float64(h - bottom + 18), p.Month})
		}
	}
	for _, s := range []struct {
		class, name string
		share       func(report.TrendPoint) (float64, int)
	}{
		{"coach", "with a coach", func(p report.TrendPoint) (float64, int) { return p.CoachShare(), p.WithCoach }},
		{"mentor", "with a mentor", func(p report.TrendPoint) (float64, int) { return p.MentorShare(), p.WithMentor }},
	} {
		se := svgSeries{Class: s.class, Name: s.name}
		for i, p := range ps {
			sh, n := s.share(p)
			m := svgMark{X: x(i), Y: y(sh), Title: fmt.Sprintf("%s: %d of %d %s (%s)", p.Month, n, p.People, s.name, percent(sh))}
			se.Marks = append(se.Marks, m)
			if i > 0 {
				se.Points += " "
			}
			se.Points += fmt.Sprintf("%.1f,%.1f", m.X, m.Y)
		}
		c.Series = append(c.Series, se)
	}
	return c
}

func loadChart(ls []report.CoachLoad) (*svgChart, int) {
	if len(ls) == 0 {
		return nil, 0
	}
	drawn := ls[:min(len(ls), maxBars)]
	const top, bottom, right = 8, 28, 24
	h := top + bottom + barRow*len(drawn)
	c := &svgChart{H: h}
	scale := 1
	for _, l := range drawn {
		scale = max(scale, l.Coachees, l.Capacity)
	}
	unit := float64(chartW-labelWidth-right) / float64(scale)
	base := float64(h - bottom)
	c.Axes = []svgLine{{labelWidth, top, labelWidth, base}, {labelWidth, base, chartW - right, base}}
	tick := max(1, (scale+9)/10)
	for n := 0; n <= scale; n += tick {
		xx := labelWidth + unit*float64(n)
		c.Grid = append(c.Grid, svgLine{xx, top, xx, base})
		c.Labels = append(c.Labels, svgText{xx - 3, base + 16, fmt.Sprint(n)})
	}
	for i, l := range drawn {
		yy := float64(top + barRow*i)
		class := "ok"
		if l.Over() {
			class = "over"
		}
		name := l.Coach
		if len([]rune(name)) > 20 {
			name = string([]rune(name)[:19]) + "…"
		}
		b := svgBar{
			X: labelWidth, Y: yy + 3, W: unit * float64(l.Coachees), H: barRow - 6, Class: class,
			Title: fmt.Sprintf("%s: %d coachees, capacity %s", l.Coach, l.Coachees, capacityText(l)),
			Label: svgText{4, yy + barRow/2 + 4, name},
		}
		if l.CapacityFrom != report.CapacityOff {
			capX := labelWidth + unit*float64(l.Capacity)
			b.Cap = &svgLine{capX, yy + 1, capX, yy + barRow - 1}
		}
		c.Bars = append(c.Bars, b)
	}
	return c, len(drawn)
}

func gapChart(hs []report.GapCount) *svgChart {
	if len(hs) == 0 {
		return nil
	}
	const h, top, bottom, left, right = 220, 12, 36, 44, 16
	c := &svgChart{H: h}
	most := 1
	for _, g := range hs {
		most = max(most, g.Pairings)
	}
	plotH := float64(h - top - bottom)
	base := float64(h - bottom)
	slot := float64(chartW-left-right) / float64(len(hs))
	c.Axes = []svgLine{{left, top, left, base}, {left, base, chartW - right, base}}
	c.Labels = append(c.Labels, svgText{4, top + 4, fmt.Sprint(most)}, svgText{4, base + 4, "0"})
	for i, g := range hs {
		bh := plotH * float64(g.Pairings) / float64(most)
		xx := left + slot*float64(i)
		class := "gap"
		if g.Gap < 0 {
			class = "below"
		}
		c.Bars = append(c.Bars, svgBar{
			X: xx + slot*0.15, Y: base - bh, W: slot * 0.7, H: bh, Class: class,
			Title: fmt.Sprintf("gap %s: %d pairings", signed(g.Gap), g.Pairings),
			Label: svgText{xx + slot/2 - 8, base + 18, signed(g.Gap)},
		})
	}
	return c
}

var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"signed": signed, "percent": percent,
	"short": func(s string) string { return fmt.Sprintf("%.12s", s) },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{.CSP}}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="orgctl report">
<title>Coaching report, {{.R.Today}}</title>
<style>` + reportCSS + `</style>
</head>
<body>
<main>
<h1>Coaching report</h1>
<p class="muted">For {{.R.Today}}. Generated by orgctl report from the org files{{if .R.Trend.Points}} and their git history{{end}}.</p>

<h2 id="coverage">Coverage</h2>
<ul class="stats">
<li><b>{{.R.Coverage.People}}</b> active internal people</li>
<li><b>{{.CoachP}}</b> with a coach ({{.R.Coverage.WithCoach}})</li>
<li><b>{{.MentorP}}</b> with a mentor ({{.R.Coverage.WithMentor}})</li>
<li><b>{{.CrossP}}</b> of coaching crosses a division ({{.R.CrossDivision.Cross}} of {{.R.CrossDivision.Compared}})</li>
<li><b>{{len .R.RotationsDue}}</b> rotations due</li>
<li><b>{{len .R.Undated}}</b> pairings without a start date</li>
</ul>

<h2 id="trend">Coverage over time</h2>
{{with .R.Trend.Note}}<p>{{.}}</p>{{end}}
{{with .Trend}}<p class="key" aria-hidden="true"><span class="k-coach"></span>with a coach<span class="k-mentor"></span>with a mentor</p>
<svg id="trend-chart" role="img" aria-labelledby="trend-title trend-desc" viewBox="0 0 640 {{.H}}" width="640" height="{{.H}}" xmlns="http://www.w3.org/2000/svg">
<title id="trend-title">Coverage at the last commit of each month</title>
<desc id="trend-desc">Share of active internal people with a coach (solid line) and with a mentor (dashed line), by month; the table below has the numbers.</desc>
{{range .Grid}}<line class="grid" x1="{{.X1}}" y1="{{.Y1}}" x2="{{.X2}}" y2="{{.Y2}}"/>{{end}}
{{range .Axes}}<line class="axis" x1="{{.X1}}" y1="{{.Y1}}" x2="{{.X2}}" y2="{{.Y2}}"/>{{end}}
{{range .Labels}}<text x="{{.X}}" y="{{.Y}}">{{.Text}}</text>{{end}}
{{range .Series}}{{$c := .Class}}<polyline class="{{.Class}}" points="{{.Points}}"/>
{{range .Marks}}<circle class="point {{$c}}" cx="{{.X}}" cy="{{.Y}}" r="3.5"><title>{{.Title}}</title></circle>{{end}}
{{end}}</svg>{{end}}
{{if .R.Trend.Points}}<table id="trend-table">
<caption>Coverage by month</caption>
<thead><tr><th scope="col">Month</th><th scope="col" class="n">People</th><th scope="col" class="n">With a coach</th><th scope="col" class="n">With a mentor</th><th scope="col">Commit</th></tr></thead>
<tbody>{{range .R.Trend.Points}}<tr><th scope="row">{{.Month}}</th><td class="n">{{.People}}</td><td class="n">{{.WithCoach}} ({{percent .CoachShare}})</td><td class="n">{{.WithMentor}} ({{percent .MentorShare}})</td><td><code>{{short .Commit}}</code></td></tr>
{{end}}</tbody>
</table>{{end}}
{{with .NotSeen}}<p id="not-seen">Not seen: {{.}} ({{$.Shallow}}).</p>{{end}}

<h2 id="load">Coach load</h2>
<p>{{.R.Pairings}} coaching pairings, {{len .R.Load}} coaches, {{if .Over}}<span class="over-text">{{.Over}} over capacity</span>{{else}}none over capacity{{end}}.</p>
{{with .Load}}<svg id="load-chart" role="img" aria-labelledby="load-title load-desc" viewBox="0 0 640 {{.H}}" width="640" height="{{.H}}" xmlns="http://www.w3.org/2000/svg">
<title id="load-title">Coachees per coach against capacity</title>
<desc id="load-desc">One bar per coach, the most loaded first{{if gt (len $.R.Load) $.Drawn}} ({{$.Drawn}} of {{len $.R.Load}} drawn){{end}}; the black tick is the coach's capacity, red bars are over it. The table below lists every coach.</desc>
{{range .Grid}}<line class="grid" x1="{{.X1}}" y1="{{.Y1}}" x2="{{.X2}}" y2="{{.Y2}}"/>{{end}}
{{range .Axes}}<line class="axis" x1="{{.X1}}" y1="{{.Y1}}" x2="{{.X2}}" y2="{{.Y2}}"/>{{end}}
{{range .Labels}}<text x="{{.X}}" y="{{.Y}}">{{.Text}}</text>{{end}}
{{range .Bars}}<text x="{{.Label.X}}" y="{{.Label.Y}}">{{.Label.Text}}</text><rect class="bar {{.Class}}" x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}"><title>{{.Title}}</title></rect>{{with .Cap}}<line class="cap" x1="{{.X1}}" y1="{{.Y1}}" x2="{{.X2}}" y2="{{.Y2}}"/>{{end}}
{{end}}</svg>
<table id="load-table">
<caption>Coachees per coach</caption>
<thead><tr><th scope="col">Coach</th><th scope="col" class="n">Coachees</th><th scope="col" class="n">Capacity</th><th scope="col">Capacity from</th></tr></thead>
<tbody>{{range $.R.Load}}<tr><th scope="row">{{.Coach}}</th><td class="n{{if .Over}} over-text{{end}}">{{.Coachees}}</td><td class="n">{{if eq .CapacityFrom "off"}}none{{else}}{{.Capacity}}{{end}}</td><td>{{if eq .CapacityFrom "off"}}coach-capacity is off{{else}}{{.CapacityFrom}}{{end}}</td></tr>
{{end}}</tbody>
</table>{{else}}<p>Nobody coaches anyone yet.</p>{{end}}

<h2 id="gaps">Level gaps</h2>
<p>Coach level index minus coachee level index: 0 is a peer, negative (amber) is coached from below.{{with .R.LevelGaps.Unknown}} {{.}} pairings are not counted (external coach, or a level missing or off the ladder).{{end}}</p>
{{with .Gaps}}<svg id="gaps-chart" role="img" aria-labelledby="gaps-title gaps-desc" viewBox="0 0 640 {{.H}}" width="640" height="{{.H}}" xmlns="http://www.w3.org/2000/svg">
<title id="gaps-title">Level gaps between coach and coachee</title>
<desc id="gaps-desc">Number of coaching pairings for each level gap; the table below has the numbers.</desc>
{{range .Axes}}<line class="axis" x1="{{.X1}}" y1="{{.Y1}}" x2="{{.X2}}" y2="{{.Y2}}"/>{{end}}
{{range .Labels}}<text x="{{.X}}" y="{{.Y}}">{{.Text}}</text>{{end}}
{{range .Bars}}<rect class="bar {{.Class}}" x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}"><title>{{.Title}}</title></rect><text x="{{.Label.X}}" y="{{.Label.Y}}">{{.Label.Text}}</text>
{{end}}</svg>
<table id="gaps-table">
<caption>Pairings by level gap</caption>
<thead><tr><th scope="col" class="n">Gap</th><th scope="col" class="n">Pairings</th></tr></thead>
<tbody>{{range $.R.LevelGaps.Histogram}}<tr><th scope="row" class="n">{{signed .Gap}}</th><td class="n">{{.Pairings}}</td></tr>
{{end}}</tbody>
</table>{{else}}<p>No pairing with both levels known.</p>{{end}}

<h2 id="rotations">Rotations due</h2>
{{if .R.RotationsDue}}<table id="rotations-table">
<caption>Coaching pairings older than the Policy's rotateAfterMonths</caption>
<thead><tr><th scope="col">Person</th><th scope="col">Coach</th><th scope="col">Since</th><th scope="col">Due</th></tr></thead>
<tbody>{{range .R.RotationsDue}}<tr><th scope="row">{{.Person}}</th><td>{{.Coach}}</td><td>{{.Since}}</td><td>{{.Due}}</td></tr>
{{end}}</tbody>
</table>{{else}}<p>None.</p>{{end}}

<h2 id="undated">Pairings without a start date</h2>
{{if .R.Undated}}<table id="undated-table">
<caption>Coaching and mentoring pairings with no start date</caption>
<thead><tr><th scope="col">Person</th><th scope="col">Role</th><th scope="col">With</th><th scope="col">Domain</th></tr></thead>
<tbody>{{range .R.Undated}}<tr><th scope="row">{{.Person}}</th><td>{{.Role}}</td><td>{{.Other}}</td><td>{{.Domain}}</td></tr>
{{end}}</tbody>
</table>{{else}}<p>None.</p>{{end}}
</main>
</body>
</html>
`))
