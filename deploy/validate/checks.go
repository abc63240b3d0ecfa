package main

import (
	"fmt"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
)

// What the image and the server fix (Dockerfile, server/mediagate/config.py).
const (
	uid                  = 10001
	grpcPort             = 50051
	defaultShutdownGrace = 10.0 // MEDIAGATE_SHUTDOWN_GRACE_SECONDS
	graceSetting         = "MEDIAGATE_SHUTDOWN_GRACE_SECONDS"
	dataDir              = "/data"
)

// workload is a Deployment or a StatefulSet: what the checks need of either.
type workload struct {
	obj         Object
	selector    *metav1.LabelSelector
	template    corev1.PodTemplateSpec
	claimNames  map[string]bool // StatefulSet volumeClaimTemplates
	serviceName string          // StatefulSet governing Service
}

// set is every object by kind, and the problems found so far.
type set struct {
	workloads  []workload
	services   []Object
	configMaps map[string]*corev1.ConfigMap
	secrets    map[string]*corev1.Secret
	hpas       []Object
	pdbs       []Object
	known      map[string]bool
	errs       []error
	// Envs is each container's environment as Kubernetes would give it, by "Kind/name/container".
	Envs map[string]map[string]string
}

func (s *set) fail(o Object, format string, args ...any) {
	s.errs = append(s.errs, fmt.Errorf("%s: %s", o, fmt.Sprintf(format, args...)))
}

// Check runs every check on the decoded objects; known (may be nil) is the setting names.
func Check(objects []Object, known map[string]bool) []error {
	_, errs := CheckAll(objects, known)
	return errs
}

// CheckAll is Check, also answering each container's environment.
func CheckAll(objects []Object, known map[string]bool) (map[string]map[string]string, []error) {
	s := &set{configMaps: map[string]*corev1.ConfigMap{}, secrets: map[string]*corev1.Secret{}, known: known, Envs: map[string]map[string]string{}}
	seen := map[string]bool{}
	for _, o := range objects {
		if id := o.Kind + "/" + o.Name; seen[id] {
			s.fail(o, "defined twice")
		} else {
			seen[id] = true
		}
		for _, msg := range validation.IsDNS1123Subdomain(o.Name) {
			s.fail(o, "name: %s", msg)
		}
		switch v := o.Value.(type) {
		case *appsv1.Deployment:
			s.workloads = append(s.workloads, workload{obj: o, selector: v.Spec.Selector, template: v.Spec.Template})
		case *appsv1.StatefulSet:
			claims := map[string]bool{}
			for _, c := range v.Spec.VolumeClaimTemplates {
				claims[c.Name] = true
			}
			s.workloads = append(s.workloads, workload{obj: o, selector: v.Spec.Selector, template: v.Spec.Template, claimNames: claims, serviceName: v.Spec.ServiceName})
		case *corev1.Service:
			s.services = append(s.services, o)
		case *corev1.ConfigMap:
			s.configMaps[o.Name] = v
		case *corev1.Secret:
			s.secrets[o.Name] = v
		case *autoscalingv2.HorizontalPodAutoscaler:
			s.hpas = append(s.hpas, o)
		case *policyv1.PodDisruptionBudget:
			s.pdbs = append(s.pdbs, o)
		}
	}
	if len(s.workloads) == 0 {
		s.errs = append(s.errs, fmt.Errorf("no Deployment or StatefulSet"))
	}
	for _, w := range s.workloads {
		s.checkWorkload(w)
	}
	for _, o := range s.services {
		s.checkService(o)
	}
	for _, o := range s.hpas {
		s.checkHPA(o)
	}
	for _, o := range s.pdbs {
		s.checkPDB(o)
	}
	s.checkSettingNames()
	return s.Envs, s.errs
}

func (s *set) checkWorkload(w workload) {
	o, pod := w.obj, w.template.Spec
	selector, err := metav1.LabelSelectorAsSelector(w.selector)
	if w.selector == nil || err != nil || selector.Empty() {
		s.fail(o, "spec.selector is missing or invalid (%v)", err)
	} else if !selector.Matches(labels.Set(w.template.Labels)) {
		s.fail(o, "spec.selector %s does not match the pod template's labels %v", selector, w.template.Labels)
	}
	if w.serviceName != "" && !s.headlessService(w.serviceName) {
		s.fail(o, "serviceName %q is not a headless Service (clusterIP: None) in the manifests", w.serviceName)
	}
	if len(pod.Containers) == 0 {
		s.fail(o, "no containers")
		return
	}
	volumes := map[string]bool{}
	for _, v := range pod.Volumes {
		volumes[v.Name] = true
		if v.Secret != nil && s.secrets[v.Secret.SecretName] == nil {
			s.fail(o, "volume %q: Secret %q is not in the manifests", v.Name, v.Secret.SecretName)
		}
		if v.ConfigMap != nil && s.configMaps[v.ConfigMap.Name] == nil {
			s.fail(o, "volume %q: ConfigMap %q is not in the manifests", v.Name, v.ConfigMap.Name)
		}
	}
	for name := range w.claimNames {
		volumes[name] = true
	}
	for _, c := range pod.Containers {
		s.checkContainer(o, pod, c, volumes)
	}
	s.checkScrapeAnnotations(o, w.template.Annotations, pod.Containers[0])
}

func (s *set) checkContainer(o Object, pod corev1.PodSpec, c corev1.Container, volumes map[string]bool) {
	where := fmt.Sprintf("container %q", c.Name)
	if c.Image == "" || !strings.Contains(c.Image, ":") || strings.HasSuffix(c.Image, ":latest") {
		s.fail(o, "%s: image %q must name a version tag", where, c.Image)
	}
	// Non-root as the image's user: the container's securityContext wins over the pod's.
	sc := c.SecurityContext
	if sc == nil {
		sc = &corev1.SecurityContext{}
	}
	podSC := pod.SecurityContext
	if podSC == nil {
		podSC = &corev1.PodSecurityContext{}
	}
	runAsUser, runAsNonRoot := sc.RunAsUser, sc.RunAsNonRoot
	if runAsUser == nil {
		runAsUser = podSC.RunAsUser
	}
	if runAsNonRoot == nil {
		runAsNonRoot = podSC.RunAsNonRoot
	}
	if runAsNonRoot == nil || !*runAsNonRoot {
		s.fail(o, "%s: runAsNonRoot must be true", where)
	}
	if runAsUser == nil || *runAsUser != uid {
		s.fail(o, "%s: runAsUser must be %d (the image's user, owner of /data)", where, uid)
	}
	if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
		s.fail(o, "%s: allowPrivilegeEscalation must be false", where)
	}
	if sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
		s.fail(o, "%s: readOnlyRootFilesystem must be true", where)
	}
	if sc.Capabilities == nil || !contains(sc.Capabilities.Drop, "ALL") {
		s.fail(o, "%s: capabilities must drop ALL", where)
	}
	// Ports: named, and the gRPC one where the probes ask.
	ports := map[string]int32{}
	for _, p := range c.Ports {
		for _, msg := range validation.IsValidPortName(p.Name) {
			s.fail(o, "%s: port name %q: %s", where, p.Name, msg)
		}
		ports[p.Name] = p.ContainerPort
	}
	if ports["grpc"] != grpcPort {
		s.fail(o, "%s: needs a port named grpc on %d", where, grpcPort)
	}
	s.checkProbes(o, where, c)
	s.checkResources(o, where, c.Resources)
	// Mounts: declared volumes; /data writable; /tmp writable when the root is read-only.
	mounts := map[string]corev1.VolumeMount{}
	for _, m := range c.VolumeMounts {
		mounts[m.MountPath] = m
		if !volumes[m.Name] {
			s.fail(o, "%s: volumeMount %q names no volume", where, m.Name)
		}
		if m.SubPath != "" {
			s.fail(o, "%s: volumeMount %q uses subPath: a mounted Secret would then never be updated in place", where, m.Name)
		}
	}
	if m, ok := mounts[dataDir]; !ok || m.ReadOnly {
		s.fail(o, "%s: %s must be a writable volume (upload spool, local copies)", where, dataDir)
	}
	if m, ok := mounts["/tmp"]; !ok || m.ReadOnly {
		s.fail(o, "%s: /tmp must be a writable volume (the root filesystem is read-only)", where)
	}
	env := s.environment(o, where, c)
	s.Envs[o.Kind+"/"+o.Name+"/"+c.Name] = env
	grace := defaultShutdownGrace
	if value, ok := env[graceSetting]; ok {
		parsed, err := strconv.ParseFloat(value, 64)
		if err != nil {
			s.fail(o, "%s: %s=%q is not a number", where, graceSetting, value)
		}
		grace = parsed
	}
	// serve's stop: preStop, then the HTTP endpoint's grace, then gRPC's, then the worker lanes.
	preStop := 0.0
	if c.Lifecycle != nil && c.Lifecycle.PreStop != nil && c.Lifecycle.PreStop.Sleep != nil {
		preStop = float64(c.Lifecycle.PreStop.Sleep.Seconds)
	}
	need := preStop + 2*grace
	if pod.TerminationGracePeriodSeconds == nil || float64(*pod.TerminationGracePeriodSeconds) <= need {
		got := "unset (30)"
		if pod.TerminationGracePeriodSeconds != nil {
			got = strconv.FormatInt(*pod.TerminationGracePeriodSeconds, 10)
		}
		s.fail(o, "terminationGracePeriodSeconds %s must be above preStop %gs + 2 x %s %gs = %gs", got, preStop, graceSetting, grace, need)
	}
}

func (s *set) checkProbes(o Object, where string, c corev1.Container) {
	probes := []struct {
		name  string
		probe *corev1.Probe
	}{{"readinessProbe", c.ReadinessProbe}, {"livenessProbe", c.LivenessProbe}, {"startupProbe", c.StartupProbe}}
	for _, p := range probes {
		if p.probe == nil {
			s.fail(o, "%s: %s is missing", where, p.name)
			continue
		}
		// grpc.health.v1 on the gRPC port: what says the server is SERVING (NOT_SERVING while
		// draining), which an open TCP port does not.
		if p.probe.GRPC == nil {
			s.fail(o, "%s: %s must be the gRPC health probe (grpc:)", where, p.name)
		} else if p.probe.GRPC.Port != grpcPort {
			s.fail(o, "%s: %s asks port %d, not the gRPC port %d", where, p.name, p.probe.GRPC.Port, grpcPort)
		}
	}
}

func (s *set) checkResources(o Object, where string, r corev1.ResourceRequirements) {
	for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		request, hasRequest := r.Requests[name]
		limit, hasLimit := r.Limits[name]
		if !hasRequest {
			s.fail(o, "%s: no %s request", where, name)
		}
		if name == corev1.ResourceMemory && !hasLimit {
			s.fail(o, "%s: no memory limit (worker processes may each take a lane's _MEMORY_BYTES)", where)
		}
		if hasRequest && hasLimit && request.Cmp(limit) > 0 {
			s.fail(o, "%s: %s request %s above its limit %s", where, name, request.String(), limit.String())
		}
	}
}

// environment is the container's variables: envFrom ConfigMaps and Secrets, then env (which
// wins, as in Kubernetes). References must resolve to objects in the manifests.
func (s *set) environment(o Object, where string, c corev1.Container) map[string]string {
	env := map[string]string{}
	for _, from := range c.EnvFrom {
		switch {
		case from.ConfigMapRef != nil:
			cm := s.configMaps[from.ConfigMapRef.Name]
			if cm == nil {
				s.fail(o, "%s: envFrom ConfigMap %q is not in the manifests", where, from.ConfigMapRef.Name)
				continue
			}
			for k, v := range cm.Data {
				env[k] = v
			}
		case from.SecretRef != nil:
			secret := s.secrets[from.SecretRef.Name]
			if secret == nil {
				s.fail(o, "%s: envFrom Secret %q is not in the manifests", where, from.SecretRef.Name)
				continue
			}
			for k, v := range secretValues(secret) {
				env[k] = v
			}
		}
	}
	for _, e := range c.Env {
		env[e.Name] = e.Value
		if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
			ref := e.ValueFrom.SecretKeyRef
			if secret := s.secrets[ref.Name]; secret == nil || !secretKeys(secret)[ref.Key] {
				s.fail(o, "%s: env %s: Secret %q has no key %q in the manifests", where, e.Name, ref.Name, ref.Key)
			} else {
				env[e.Name] = secretValues(secret)[ref.Key]
			}
		}
		if e.ValueFrom != nil && e.ValueFrom.ConfigMapKeyRef != nil {
			ref := e.ValueFrom.ConfigMapKeyRef
			if cm := s.configMaps[ref.Name]; cm == nil || cm.Data[ref.Key] == "" {
				s.fail(o, "%s: env %s: ConfigMap %q has no key %q in the manifests", where, e.Name, ref.Name, ref.Key)
			} else {
				env[e.Name] = cm.Data[ref.Key]
			}
		}
		if s.known != nil && strings.HasPrefix(e.Name, "MEDIAGATE_") && !s.known[e.Name] {
			s.fail(o, "%s: env %s is not a setting the server reads", where, e.Name)
		}
	}
	return env
}

func (s *set) checkScrapeAnnotations(o Object, annotations map[string]string, c corev1.Container) {
	var metricsPort int32
	for _, p := range c.Ports {
		if p.Name == "metrics" {
			metricsPort = p.ContainerPort
		}
	}
	if annotations["prometheus.io/scrape"] != "true" {
		s.fail(o, "pod template: annotation prometheus.io/scrape must be \"true\"")
	}
	if metricsPort == 0 || annotations["prometheus.io/port"] != strconv.Itoa(int(metricsPort)) {
		s.fail(o, "pod template: annotation prometheus.io/port %q is not the container's metrics port %d", annotations["prometheus.io/port"], metricsPort)
	}
}

func (s *set) checkService(o Object) {
	svc := o.Value.(*corev1.Service)
	if len(svc.Spec.Selector) == 0 {
		s.fail(o, "no selector")
		return
	}
	selected := s.selecting(labels.SelectorFromSet(svc.Spec.Selector))
	if len(selected) != 1 {
		s.fail(o, "selector %v selects %d workloads' pods, want exactly 1", svc.Spec.Selector, len(selected))
		return
	}
	w := selected[0]
	for _, port := range svc.Spec.Ports {
		if !targetExists(w.template.Spec.Containers, port.TargetPort, port.Port) {
			s.fail(o, "port %q: targetPort %s is no container port of %s", port.Name, port.TargetPort.String(), w.obj)
		}
	}
}

func targetExists(containers []corev1.Container, target intstr.IntOrString, port int32) bool {
	for _, c := range containers {
		for _, p := range c.Ports {
			switch {
			case target.Type == intstr.String && target.StrVal != "" && p.Name == target.StrVal:
				return true
			case target.Type == intstr.Int && target.IntVal != 0 && p.ContainerPort == target.IntVal:
				return true
			case target.Type == intstr.Int && target.IntVal == 0 && p.ContainerPort == port:
				return true // targetPort omitted: the Service port itself
			}
		}
	}
	return false
}

func (s *set) checkHPA(o Object) {
	hpa := o.Value.(*autoscalingv2.HorizontalPodAutoscaler)
	ref := hpa.Spec.ScaleTargetRef
	w := s.workload(ref.Kind, ref.Name)
	if w == nil || ref.APIVersion != "apps/v1" {
		s.fail(o, "scaleTargetRef %s %s/%s is not a workload in the manifests", ref.APIVersion, ref.Kind, ref.Name)
		return
	}
	if ref.Kind != "Deployment" {
		s.fail(o, "scales %s/%s: only the stateless Deployment may be scaled", ref.Kind, ref.Name)
	}
	if hpa.Spec.MinReplicas == nil || *hpa.Spec.MinReplicas < 2 {
		s.fail(o, "minReplicas must be at least 2 (one may be drained while another serves)")
	}
	if hpa.Spec.MinReplicas != nil && hpa.Spec.MaxReplicas < *hpa.Spec.MinReplicas {
		s.fail(o, "maxReplicas %d below minReplicas %d", hpa.Spec.MaxReplicas, *hpa.Spec.MinReplicas)
	}
	for _, m := range hpa.Spec.Metrics {
		if m.Resource != nil && m.Resource.Target.Type == autoscalingv2.UtilizationMetricType {
			for _, c := range w.template.Spec.Containers {
				if _, ok := c.Resources.Requests[m.Resource.Name]; !ok {
					s.fail(o, "targets %s utilization but container %q requests no %s", m.Resource.Name, c.Name, m.Resource.Name)
				}
			}
		}
	}
}

func (s *set) checkPDB(o Object) {
	pdb := o.Value.(*policyv1.PodDisruptionBudget)
	selector, err := metav1.LabelSelectorAsSelector(pdb.Spec.Selector)
	if pdb.Spec.Selector == nil || err != nil || selector.Empty() {
		s.fail(o, "selector is missing or invalid (%v)", err)
		return
	}
	selected := s.selecting(selector)
	if len(selected) != 1 {
		s.fail(o, "selector %s selects %d workloads' pods, want exactly 1", selector, len(selected))
		return
	}
	if (pdb.Spec.MinAvailable == nil) == (pdb.Spec.MaxUnavailable == nil) {
		s.fail(o, "set exactly one of minAvailable and maxUnavailable")
	}
	// A budget that allows no disruption at the smallest size blocks every node drain.
	if max := pdb.Spec.MaxUnavailable; max != nil && max.Type == intstr.Int && max.IntVal < 1 {
		s.fail(o, "maxUnavailable %d blocks every drain", max.IntVal)
	}
	if min := pdb.Spec.MinAvailable; min != nil && min.Type == intstr.Int {
		if smallest := s.smallestReplicas(selected[0]); int32(min.IntVal) >= smallest {
			s.fail(o, "minAvailable %d with as few as %d replicas blocks every drain", min.IntVal, smallest)
		}
	}
}

// smallestReplicas is the fewest pods a workload may run: its HPA's minReplicas, or its own count.
func (s *set) smallestReplicas(w workload) int32 {
	for _, o := range s.hpas {
		hpa := o.Value.(*autoscalingv2.HorizontalPodAutoscaler)
		if hpa.Spec.ScaleTargetRef.Kind == w.obj.Kind && hpa.Spec.ScaleTargetRef.Name == w.obj.Name && hpa.Spec.MinReplicas != nil {
			return *hpa.Spec.MinReplicas
		}
	}
	switch v := w.obj.Value.(type) {
	case *appsv1.Deployment:
		if v.Spec.Replicas != nil {
			return *v.Spec.Replicas
		}
	case *appsv1.StatefulSet:
		if v.Spec.Replicas != nil {
			return *v.Spec.Replicas
		}
	}
	return 1
}

// checkSettingNames: every MEDIAGATE_* key in ConfigMaps and Secrets is a setting (a misspelt
// one would be ignored by the server, silently).
func (s *set) checkSettingNames() {
	if s.known == nil {
		return
	}
	for name, cm := range s.configMaps {
		for key := range cm.Data {
			if strings.HasPrefix(key, "MEDIAGATE_") && !s.known[key] {
				s.errs = append(s.errs, fmt.Errorf("ConfigMap/%s: %s is not a setting the server reads", name, key))
			}
		}
	}
	for name, secret := range s.secrets {
		for key := range secretKeys(secret) {
			if strings.HasPrefix(key, "MEDIAGATE_") && !s.known[key] {
				s.errs = append(s.errs, fmt.Errorf("Secret/%s: %s is not a setting the server reads", name, key))
			}
		}
	}
}

func (s *set) selecting(selector labels.Selector) []workload {
	var found []workload
	for _, w := range s.workloads {
		if selector.Matches(labels.Set(w.template.Labels)) {
			found = append(found, w)
		}
	}
	return found
}

func (s *set) workload(kind, name string) *workload {
	for i := range s.workloads {
		if s.workloads[i].obj.Kind == kind && s.workloads[i].obj.Name == name {
			return &s.workloads[i]
		}
	}
	return nil
}

func (s *set) headlessService(name string) bool {
	for _, o := range s.services {
		if o.Name == name && o.Value.(*corev1.Service).Spec.ClusterIP == corev1.ClusterIPNone {
			return true
		}
	}
	return false
}

func secretKeys(secret *corev1.Secret) map[string]bool {
	keys := map[string]bool{}
	for k := range secretValues(secret) {
		keys[k] = true
	}
	return keys
}

// secretValues merges data and stringData as the API server does (stringData wins).
func secretValues(secret *corev1.Secret) map[string]string {
	values := map[string]string{}
	for k, v := range secret.Data {
		values[k] = string(v)
	}
	for k, v := range secret.StringData {
		values[k] = v
	}
	return values
}

func contains(caps []corev1.Capability, want corev1.Capability) bool {
	for _, c := range caps {
		if c == want {
			return true
		}
	}
	return false
}
