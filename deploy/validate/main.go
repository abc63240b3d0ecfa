// Command validate checks mediagate's Kubernetes manifests offline: every document is decoded
// strictly into the typed structs of k8s.io/api (the API server's own types, so an unknown field
// or a wrong type fails), then checked for what mediagate needs (checks.go): gRPC health probes
// on the gRPC port, non-root uid 10001, a read-only root, resources, a grace period above the
// server's shutdown, selectors that match, Service ports that exist, references that resolve.
//
//	validate [-settings FILE] DIR
//
// FILE lists the MEDIAGATE_* names the server accepts, one a line (checks/settings_names.py);
// with it, every MEDIAGATE_* name the manifests set must be one of them.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strings"
)

func main() {
	settingsFile := flag.String("settings", "", "file of the MEDIAGATE_* names the server accepts")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: validate [-settings FILE] DIR")
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
	if len(errs) == 0 {
		errs = Check(objects, known)
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
