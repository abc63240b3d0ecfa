package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

// Object is one decoded manifest document and where it came from.
type Object struct {
	Source string // file:document-index, for messages
	Kind   string
	Name   string
	Value  any // *appsv1.Deployment, *corev1.Service, ...
}

func (o Object) String() string { return fmt.Sprintf("%s: %s/%s", o.Source, o.Kind, o.Name) }

// The kinds a mediagate deployment is made of, by apiVersion and kind. Anything else is refused:
// an unknown or misspelt kind must not pass unchecked.
var kinds = map[string]func() any{
	"apps/v1/Deployment":                     func() any { return &appsv1.Deployment{} },
	"apps/v1/StatefulSet":                    func() any { return &appsv1.StatefulSet{} },
	"v1/Service":                             func() any { return &corev1.Service{} },
	"v1/ConfigMap":                           func() any { return &corev1.ConfigMap{} },
	"v1/Secret":                              func() any { return &corev1.Secret{} },
	"v1/ServiceAccount":                      func() any { return &corev1.ServiceAccount{} },
	"v1/PersistentVolumeClaim":               func() any { return &corev1.PersistentVolumeClaim{} },
	"autoscaling/v2/HorizontalPodAutoscaler": func() any { return &autoscalingv2.HorizontalPodAutoscaler{} },
	"policy/v1/PodDisruptionBudget":          func() any { return &policyv1.PodDisruptionBudget{} },
}

// LoadDir decodes every *.yaml and *.yml file in dir, each document strictly into its typed
// Kubernetes struct: an unknown or misspelt field, a duplicate key, a value of the wrong type or
// an unparsable quantity is an error, as the API server's strict field validation would make it.
func LoadDir(dir string) ([]Object, []error) {
	var files []string
	for _, pattern := range []string{"*.yaml", "*.yml"} {
		found, _ := filepath.Glob(filepath.Join(dir, pattern))
		files = append(files, found...)
	}
	sort.Strings(files)
	if len(files) == 0 {
		return nil, []error{fmt.Errorf("%s: no manifests (*.yaml)", dir)}
	}
	var objects []Object
	var errs []error
	for _, file := range files {
		found, fileErrs := loadFile(file)
		objects = append(objects, found...)
		errs = append(errs, fileErrs...)
	}
	return objects, errs
}

func loadFile(file string) ([]Object, []error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, []error{err}
	}
	reader := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	var objects []Object
	var errs []error
	for index := 0; ; index++ {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		source := fmt.Sprintf("%s#%d", filepath.Base(file), index)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", source, err))
			break
		}
		if isBlank(doc) {
			continue
		}
		object, err := decode(source, doc)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		objects = append(objects, object)
	}
	return objects, errs
}

func decode(source string, doc []byte) (Object, error) {
	var meta metav1.TypeMeta
	if err := yaml.Unmarshal(doc, &meta); err != nil {
		return Object{}, fmt.Errorf("%s: %w", source, err)
	}
	newValue, ok := kinds[meta.APIVersion+"/"+meta.Kind]
	if !ok {
		return Object{}, fmt.Errorf("%s: apiVersion %q kind %q is not one this checker knows", source, meta.APIVersion, meta.Kind)
	}
	value := newValue()
	// As the API server decodes with strict field validation: duplicate keys refused here,
	// then unknown fields reported with their path (sigs.k8s.io/json, the server's decoder).
	data, err := yaml.YAMLToJSONStrict(doc)
	if err != nil {
		return Object{}, fmt.Errorf("%s: %s: %w", source, meta.Kind, err)
	}
	strict, err := kjson.UnmarshalStrict(data, value)
	if err != nil {
		return Object{}, fmt.Errorf("%s: %s: %w", source, meta.Kind, err)
	}
	if len(strict) > 0 {
		return Object{}, fmt.Errorf("%s: %s: %w", source, meta.Kind, errors.Join(strict...))
	}
	name := value.(metav1.Object).GetName()
	return Object{Source: source, Kind: meta.Kind, Name: name, Value: value}, nil
}

func isBlank(doc []byte) bool {
	for _, line := range strings.Split(string(doc), "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") && line != "---" {
			return false
		}
	}
	return true
}
