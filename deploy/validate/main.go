// Command validate checks mediagate's Kubernetes manifests offline: every document is decoded
// strictly into the typed structs of k8s.io/api (the API server's own types, so an unknown field
// or a wrong type fails), then checked for what mediagate needs (checks.go): gRPC health probes
// on the gRPC port, non-root uid 10001, a read-only root, resources, a grace period above the
// server's shutdown, selectors that match, Service ports that exist, references that resolve.
//
//	validate [-settings FILE] [-env-json OUT] DIR
//
// FILE lists the MEDIAGATE_* names the server accepts, one a line (scripts/settings_table.py
// --names); with it, every MEDIAGATE_* name the manifests set must be one of them. OUT receives
// each container's environment as JSON, for the server's own Settings to parse
// (scripts/check_k8s.sh), so a value of the wrong type fails too.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
)

func main() {
	settingsFile := flag.String("settings", "", "file of the MEDIAGATE_* names the server accepts")
	envOut := flag.String("env-json", "", "write each container's environment here (JSON)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: validate [-settings FILE] [-env-json OUT] DIR")
		os.Exit(2)
	}
	var known map[string]bool
	if *settingsFile != "" {
		var err error
		if known, err = readNames(*settingsFile); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	dir := flag.Arg(0)
	objects, errs := LoadDir(dir)
	var envs map[string]map[string]string
	if len(errs) == 0 {
		envs, errs = CheckAll(objects, known)
	}
	if len(errs) == 0 && *envOut != "" {
		data, err := json.MarshalIndent(envs, "", "  ")
		if err == nil {
			err = os.WriteFile(*envOut, data, 0o600)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	for _, err := range errs {
		fmt.Fprintln(os.Stderr, "FAIL", err)
	}
	if len(errs) > 0 {
		fmt.Fprintf(os.Stderr, "%s: %d problem(s)\n", dir, len(errs))
		os.Exit(1)
	}
	fmt.Printf("%s: %d objects valid\n", dir, len(objects))
}

func readNames(path string) (map[string]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	names := map[string]bool{}
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		if name := strings.TrimSpace(scanner.Text()); name != "" {
			names[name] = true
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s: no setting names", path)
	}
	return names, scanner.Err()
}
