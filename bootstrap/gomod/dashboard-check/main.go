// Command dashboard-check validates Grafana dashboard JSON files strictly against the dashboard schema of the
// Grafana Foundation SDK (Grafana's own CUE schemas, generated into Go by cog): an unknown key, a wrong type or a
// missing required field anywhere (the dashboard, its panels, their options and custom field config by panel type,
// their field config, their Prometheus queries) fails. Usage: dashboard-check FILE...; one line per problem, exit 1
// if any.
//
// The SDK's strict decoder leaves two places lax, which this command closes with the SDK's own types: a panel's
// fieldConfig is decoded leniently (only its `custom` block strictly), and a data source query refuses no unknown
// key (data sources may add their own); Prometheus queries are the only ones the project writes, so an unknown key
// in one is refused against the SDK's Prometheus query type.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/plugins"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/prometheus"
)

// panel is what the extra checks read of a panel: the rest is the SDK's.
type panel struct {
	FieldConfig json.RawMessage   `json:"fieldConfig"`
	Targets     []json.RawMessage `json:"targets"`
	Panels      []json.RawMessage `json:"panels"` // a row's panels
}

func check(raw []byte) []string {
	var board dashboard.Dashboard
	found := lines("", problems(board.UnmarshalJSONStrict(raw)))
	if len(found) == 0 {
		found = lines("", problems(board.Validate()))
	}
	var top struct {
		Panels []json.RawMessage `json:"panels"`
	}
	if err := json.Unmarshal(raw, &top); err != nil {
		return append(found, err.Error())
	}
	for i, rawPanel := range top.Panels {
		found = append(found, checkPanel("panels["+strconv.Itoa(i)+"]", rawPanel)...)
	}
	return found
}

func checkPanel(path string, raw json.RawMessage) []string {
	var p panel
	if err := json.Unmarshal(raw, &p); err != nil {
		return []string{path + ": " + err.Error()}
	}
	var found []string
	if p.FieldConfig != nil {
		var source dashboard.FieldConfigSource
		found = append(found, lines(path+".fieldConfig.", problems(source.UnmarshalJSONStrict(p.FieldConfig)))...)
	}
	for i, target := range p.Targets {
		decoder := json.NewDecoder(bytes.NewReader(target))
		decoder.DisallowUnknownFields()
		var query prometheus.Dataquery
		if err := decoder.Decode(&query); err != nil {
			found = append(found, fmt.Sprintf("%s.targets[%d]: %v", path, i, err))
		}
	}
	for i, child := range p.Panels {
		found = append(found, checkPanel(path+".panels["+strconv.Itoa(i)+"]", child)...)
	}
	return found
}

// problems is err unless it is an empty list: the generated code returns its (possibly empty) list as an error.
func problems(err error) error {
	var list cog.BuildErrors
	if errors.As(err, &list) && len(list) == 0 {
		return nil
	}
	return err
}

func lines(prefix string, err error) []string {
	if err == nil {
		return nil
	}
	var list cog.BuildErrors
	if !errors.As(err, &list) {
		return []string{prefix + err.Error()}
	}
	found := make([]string, 0, len(list))
	for _, item := range list {
		found = append(found, prefix+item.Error())
	}
	return found
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: dashboard-check FILE...")
		os.Exit(2)
	}
	// Panel options and custom field config by panel type, queries by data source type: without these
	// registrations the SDK leaves them untyped.
	plugins.RegisterDefaultPlugins()
	failed := false
	for _, path := range os.Args[1:] {
		raw, err := os.ReadFile(path)
		if err != nil {
			fmt.Printf("%s: %v\n", path, err)
			failed = true
			continue
		}
		for _, problem := range check(raw) {
			fmt.Printf("%s: %s\n", path, problem)
			failed = true
		}
	}
	if failed {
		os.Exit(1)
	}
}
