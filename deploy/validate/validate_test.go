package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

const manifests = "../kubernetes"

func load(t *testing.T) []Object {
	t.Helper()
	objects, errs := LoadDir(manifests)
	if len(errs) > 0 {
		t.Fatalf("the manifests do not decode: %v", errs)
	}
	return objects
}

func find[T any](t *testing.T, objects []Object, name string) T {
	t.Helper()
	for _, o := range objects {
		if v, ok := o.Value.(T); ok && o.Name == name {
			return v
		}
	}
	var zero T
	t.Fatalf("no %T named %s", zero, name)
	return zero
}

func TestTheManifestsPass(t *testing.T) {
	objects := load(t)
	if errs := Check(objects, nil); len(errs) > 0 {
		t.Fatalf("checks failed: %v", errs)
	}
	kinds := map[string]bool{}
	for _, o := range objects {
		kinds[o.Kind] = true
	}
	for _, want := range []string{"Deployment", "StatefulSet", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "ConfigMap", "Secret"} {
		if !kinds[want] {
			t.Errorf("no %s in %s", want, manifests)
		}
	}
}

// Each case breaks one thing in the real manifests; the checks must name it.
func TestBrokenManifestsFail(t *testing.T) {
	replica := func(objects []Object) *appsv1.Deployment { return find[*appsv1.Deployment](t, objects, "mediagate") }
	container := func(objects []Object) *corev1.Container { return &replica(objects).Spec.Template.Spec.Containers[0] }
	cases := []struct {
		name   string
		break_ func([]Object)
		want   string
	}{
		{"readiness on the HTTP port", func(o []Object) { container(o).ReadinessProbe.GRPC.Port = 8080 }, "readinessProbe asks port 8080"},
		{"liveness as a TCP check", func(o []Object) {
			c := container(o)
			c.LivenessProbe.GRPC = nil
			c.LivenessProbe.TCPSocket = &corev1.TCPSocketAction{Port: intstr.FromInt32(50051)}
		}, "livenessProbe must be the gRPC health probe"},
		{"no startup probe", func(o []Object) { container(o).StartupProbe = nil }, "startupProbe is missing"},
		{"root user", func(o []Object) {
			zero := int64(0)
			container(o).SecurityContext.RunAsUser = &zero
		}, "runAsUser must be 10001"},
		{"writable root", func(o []Object) {
			no := false
			container(o).SecurityContext.ReadOnlyRootFilesystem = &no
		}, "readOnlyRootFilesystem must be true"},
		{"grace too short", func(o []Object) {
			short := int64(20)
			replica(o).Spec.Template.Spec.TerminationGracePeriodSeconds = &short
		}, "terminationGracePeriodSeconds 20 must be above"},
		{"longer shutdown grace in the ConfigMap", func(o []Object) {
			find[*corev1.ConfigMap](t, o, "mediagate-config").Data[graceSetting] = "30"
		}, "must be above preStop 5s + 2 x MEDIAGATE_SHUTDOWN_GRACE_SECONDS 30s"},
		{"PDB selects nothing", func(o []Object) {
			find[*policyv1.PodDisruptionBudget](t, o, "mediagate").Spec.Selector.MatchLabels["app.kubernetes.io/component"] = "replicas"
		}, "selects 0 workloads"},
		{"PDB blocks drains", func(o []Object) {
			two := intstr.FromInt32(2)
			pdb := find[*policyv1.PodDisruptionBudget](t, o, "mediagate")
			pdb.Spec.MaxUnavailable, pdb.Spec.MinAvailable = nil, &two
		}, "minAvailable 2 with as few as 2 replicas blocks every drain"},
		{"Service port to a missing container port", func(o []Object) {
			find[*corev1.Service](t, o, "mediagate").Spec.Ports[2].TargetPort = intstr.FromString("prometheus")
		}, "targetPort prometheus is no container port"},
		{"Service selecting both workloads", func(o []Object) {
			delete(find[*corev1.Service](t, o, "mediagate").Spec.Selector, "app.kubernetes.io/component")
		}, "selects 2 workloads"},
		{"Deployment selector off its pods", func(o []Object) {
			replica(o).Spec.Template.Labels["app.kubernetes.io/component"] = "other"
		}, "does not match the pod template's labels"},
		{"HPA on the singleton", func(o []Object) {
			ref := &find[*autoscalingv2.HorizontalPodAutoscaler](t, o, "mediagate").Spec.ScaleTargetRef
			ref.Kind, ref.Name = "StatefulSet", "mediagate-singleton"
		}, "only the stateless Deployment may be scaled"},
		{"HPA of one", func(o []Object) {
			one := int32(1)
			find[*autoscalingv2.HorizontalPodAutoscaler](t, o, "mediagate").Spec.MinReplicas = &one
		}, "minReplicas must be at least 2"},
		{"no CPU request under a CPU target", func(o []Object) { delete(container(o).Resources.Requests, corev1.ResourceCPU) }, "requests no cpu"},
		{"no memory limit", func(o []Object) { delete(container(o).Resources.Limits, corev1.ResourceMemory) }, "no memory limit"},
		{"scrape annotation on the wrong port", func(o []Object) {
			replica(o).Spec.Template.Annotations["prometheus.io/port"] = "8080"
		}, "is not the container's metrics port 9464"},
		{"envFrom a missing Secret", func(o []Object) { container(o).EnvFrom[1].SecretRef.Name = "mediagate-shard" }, "envFrom Secret \"mediagate-shard\" is not in the manifests"},
		{"callers file through subPath", func(o []Object) { container(o).VolumeMounts[2].SubPath = "callers.toml" }, "uses subPath"},
		{"image without a tag", func(o []Object) { container(o).Image = "registry.example.com/mediagate" }, "must name a version tag"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			objects := load(t)
			c.break_(objects)
			errs := Check(objects, nil)
			for _, err := range errs {
				if strings.Contains(err.Error(), c.want) {
					return
				}
			}
			t.Fatalf("want an error containing %q, got %v", c.want, errs)
		})
	}
}

func TestSettingNamesAreChecked(t *testing.T) {
	objects := load(t)
	known := map[string]bool{}
	for _, o := range objects {
		if cm, ok := o.Value.(*corev1.ConfigMap); ok {
			for k := range cm.Data {
				known[k] = true
			}
		}
	}
	errs := Check(objects, known) // every Secret's MEDIAGATE_* key is then unknown
	if len(errs) == 0 || !strings.Contains(errs[0].Error()+errs[len(errs)-1].Error(), "is not a setting the server reads") {
		t.Fatalf("want unknown settings reported, got %v", errs)
	}
}

// Strict decoding: what the checks never see because the API server would refuse it.
func TestStrictDecoding(t *testing.T) {
	deployment, err := os.ReadFile(filepath.Join(manifests, "deployment.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, from, to, want string }{
		{"misspelt field", "readinessProbe:", "readinesProbe:", `unknown field "spec.template.spec.containers[0].readinesProbe"`},
		{"duplicate key", "          imagePullPolicy: IfNotPresent\n", "          imagePullPolicy: IfNotPresent\n          imagePullPolicy: Always\n", `key "imagePullPolicy" already set`},
		{"bad quantity", "memory: 4Gi", "memory: 4 gigs", "quantities must match"},
		{"wrong type", "replicas: 2", "replicas: two", "cannot unmarshal"},
		{"unknown kind", "kind: Deployment", "kind: Deploymnet", `kind "Deploymnet" is not one this checker knows`},
		{"old apiVersion", "apiVersion: apps/v1", "apiVersion: extensions/v1beta1", "is not one this checker knows"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(string(deployment), c.from) {
				t.Fatalf("deployment.yaml has no %q", c.from)
			}
			dir := t.TempDir()
			broken := strings.Replace(string(deployment), c.from, c.to, 1)
			if err := os.WriteFile(filepath.Join(dir, "deployment.yaml"), []byte(broken), 0o600); err != nil {
				t.Fatal(err)
			}
			_, errs := LoadDir(dir)
			for _, err := range errs {
				if strings.Contains(err.Error(), c.want) {
					return
				}
			}
			t.Fatalf("want an error containing %q, got %v", c.want, errs)
		})
	}
}
