// Command htmlreport renders a ghz JSON report (ghz -O json) as ghz's own HTML report (the same
// printer that `ghz -O html` uses), so one load run gives both files with identical figures.
//
//	htmlreport REPORT.json REPORT.html
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/bojand/ghz/printer"
	"github.com/bojand/ghz/runner"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: htmlreport REPORT.json REPORT.html")
		os.Exit(2)
	}
	if err := render(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "htmlreport:", err)
		os.Exit(1)
	}
}

func render(in, out string) error {
	data, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var report runner.Report
	if err := json.Unmarshal(data, &report); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	file, err := os.Create(out)
	if err != nil {
		return err
	}
	p := printer.ReportPrinter{Out: file, Report: &report}
	if err := p.Print("html"); err != nil {
		file.Close()
		return err
	}
	return file.Close()
}
