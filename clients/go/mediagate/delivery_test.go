package mediagate_test

// Delivery into Genesys Cloud, end to end: a local fake of the platform
// (python -m tests.fakes.genesys), a second mediagate server pointed at it, and the suite's
// own server, which has no Genesys settings.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/mediagate-dev/mediagate/clients/go/mediagate"
	"github.com/mediagate-dev/mediagate/clients/go/mediagatev1"
)

// The server's first delivery waits for its Genesys SDK to load (~15 s of CPU): watches get
// a generous deadline.
const deliveryTimeout = 120 * time.Second

var (
	fakeListening    = regexp.MustCompile(`^fake genesys listening on (http://\S+) integration=(\S+)$`)
	fakeConversation = regexp.MustCompile(`^conversation=(\S+)$`)
)

// fakeGenesys is python -m tests.fakes.genesys --port 0 in a child process.
type fakeGenesys struct {
	cmd            *exec.Cmd
	baseURL        string
	integrationID  string
	conversationID string
	log            *tail
	exited         chan error
}

// startFakeGenesys starts the fake from the repository root and reads its two lines (its URL
// and integration, then a conversation ready for UPLOAD deliveries). It is stopped with SIGTERM
// when the test ends.
func startFakeGenesys(t *testing.T) *fakeGenesys {
	t.Helper()
	python, err := pythonPath()
	if err != nil {
		t.Fatal(err)
	}
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, "-m", "tests.fakes.genesys", "--port", "0")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "PYTHONPATH="+root)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeGenesys{cmd: cmd, log: &tail{max: 200}, exited: make(chan error, 1)}
	cmd.Stderr = tailWriter{f.log}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the Genesys fake: %v", err)
	}
	lines := make(chan string, 2)
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		sc := bufio.NewScanner(stdout)
		for n := 0; sc.Scan(); n++ {
			f.log.add(sc.Text())
			if n < 2 {
				lines <- sc.Text()
			}
		}
	}()
	go func() {
		<-drained
		f.exited <- cmd.Wait()
	}()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-f.exited:
		case <-time.After(stopTimeout):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-f.exited
			t.Errorf("the Genesys fake ignored SIGTERM for %s; killed", stopTimeout)
		}
	})

	read := func(want *regexp.Regexp) []string {
		select {
		case line := <-lines:
			m := want.FindStringSubmatch(line)
			if m == nil {
				t.Fatalf("the Genesys fake printed %q, want %s\n%s", line, want, f.log)
			}
			return m
		case <-drained:
			t.Fatalf("the Genesys fake closed its stdout before printing %s\n%s", want, f.log)
		case <-time.After(startTimeout):
			t.Fatalf("no %s line from the Genesys fake within %s\n%s", want, startTimeout, f.log)
		}
		return nil
	}
	m := read(fakeListening)
	f.baseURL, f.integrationID = m[1], m[2]
	f.conversationID = read(fakeConversation)[1]
	return f
}

// tailWriter adds what is written to a tail, split into lines (for cmd.Stderr).
type tailWriter struct{ t *tail }

func (w tailWriter) Write(p []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		w.t.add(line)
	}
	return len(p), nil
}

// deliveryServer starts a second mediagate server pointed at the fake, connected; both stop
// when the test ends (the server's log is shown if the test failed).
func deliveryServer(t *testing.T, fake *fakeGenesys) mediagatev1.AttachmentServiceClient {
	t.Helper()
	srv, err := startServer(
		"MEDIAGATE_GENESYS_CLIENT_ID=mediagate-test",
		"MEDIAGATE_GENESYS_CLIENT_SECRET=s3cret",
		"MEDIAGATE_GENESYS_BASE_URL="+fake.baseURL,
		"MEDIAGATE_GENESYS_INTEGRATION_ID="+fake.integrationID,
		"MEDIAGATE_GENESYS_REQUESTS_PER_SECOND=0",
	)
	if err != nil {
		t.Fatalf("mediagate server with Genesys settings: %v", err)
	}
	conn, err := mediagate.Connect(srv.addr, mediagate.WithToken(creds.aliceToken))
	if err != nil {
		srv.stop()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn.Close()
		if err := srv.stop(); err != nil {
			t.Errorf("mediagate server with Genesys settings: %v", err)
		}
		if t.Failed() {
			t.Logf("--- delivery server log (last lines) ---\n%s--- Genesys fake log ---\n%s", srv.log, fake.log)
		}
	})
	return mediagatev1.NewAttachmentServiceClient(conn)
}

// smallJPEG is a real w x h baseline JPEG made with the standard library.
func smallJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{R: uint8(255 * x / w), G: 96, B: uint8(255 * y / h), A: 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func historyStates(d *mediagatev1.Delivery) []mediagatev1.DeliveryState {
	var states []mediagatev1.DeliveryState
	for _, tr := range d.GetHistory() {
		states = append(states, tr.GetState())
	}
	return states
}

func TestDeliverAndWaitByUpload(t *testing.T) {
	fake := startFakeGenesys(t)
	genesys := deliveryServer(t, fake)
	ctx, cancel := context.WithTimeout(t.Context(), deliveryTimeout+30*time.Second)
	defer cancel()

	content := smallJPEG(t, 48, 32)
	att, err := mediagate.Upload(ctx, genesys, bytes.NewReader(content), &mediagatev1.UploadHeader{
		FileName:         "photo.jpg",
		DeclaredMimeType: "image/jpeg",
		ConversationId:   fake.conversationID,
	})
	if err != nil {
		t.Fatalf("Upload: %v (details %+v)", err, mediagate.ErrorDetails(err))
	}
	if att.GetDetectedMimeType() != "image/jpeg" {
		t.Fatalf("detected %q, want image/jpeg", att.GetDetectedMimeType())
	}

	key := fmt.Sprintf("go-client-%d", time.Now().UnixNano())
	watchCtx, watchCancel := context.WithTimeout(ctx, deliveryTimeout)
	defer watchCancel()
	var mu sync.Mutex
	var seen []mediagatev1.DeliveryState
	final, err := mediagate.DeliverAndWait(watchCtx, genesys, att.GetName(), fake.conversationID,
		mediagatev1.DeliveryMethod_DELIVERY_METHOD_UPLOAD, key, &mediagate.DeliverOptions{}, func(d *mediagatev1.Delivery) {
			mu.Lock()
			defer mu.Unlock()
			seen = append(seen, d.GetState())
		})
	if err != nil {
		t.Fatalf("DeliverAndWait: %v (details %+v); last seen %v", err, mediagate.ErrorDetails(err), final)
	}
	want := []mediagatev1.DeliveryState{
		mediagatev1.DeliveryState_DELIVERY_STATE_PENDING,
		mediagatev1.DeliveryState_DELIVERY_STATE_UPLOADING,
		mediagatev1.DeliveryState_DELIVERY_STATE_VALIDATED,
		mediagatev1.DeliveryState_DELIVERY_STATE_DELIVERED,
	}
	if final.GetState() != mediagatev1.DeliveryState_DELIVERY_STATE_DELIVERED {
		t.Fatalf("final state %v (failure %v), want DELIVERED", final.GetState(), final.GetFailure())
	}
	if got := historyStates(final); !slices.Equal(got, want) {
		t.Errorf("history %v, want %v", got, want)
	}
	if final.GetPlatformMediaId() == "" {
		t.Errorf("no platform_media_id on %v", final)
	}
	if final.GetAttachment() != att.GetName() || final.GetConversationId() != fake.conversationID ||
		final.GetMethod() != mediagatev1.DeliveryMethod_DELIVERY_METHOD_UPLOAD || final.GetIdempotencyKey() != key {
		t.Errorf("delivery %v does not echo the request", final)
	}
	// The callback saw states in order, ending with the final one (a watcher that falls
	// behind may skip states, never reorder them).
	mu.Lock()
	if len(seen) == 0 || seen[len(seen)-1] != final.GetState() || !isSubsequence(seen, want) {
		t.Errorf("onState saw %v, want an ordered subsequence of %v ending DELIVERED", seen, want)
	}
	mu.Unlock()

	// The same key again: the same delivery, nothing sent twice.
	again, err := mediagate.Deliver(ctx, genesys, att.GetName(), fake.conversationID,
		mediagatev1.DeliveryMethod_DELIVERY_METHOD_UPLOAD, key, nil)
	if err != nil {
		t.Fatalf("Deliver with a repeated key: %v (details %+v)", err, mediagate.ErrorDetails(err))
	}
	if again.GetName() != final.GetName() {
		t.Errorf("repeated key gave delivery %q, want %q", again.GetName(), final.GetName())
	}
	if again.GetState() != mediagatev1.DeliveryState_DELIVERY_STATE_DELIVERED {
		t.Errorf("repeated key's delivery is %v, want DELIVERED", again.GetState())
	}

	// Watching a delivery that is already final answers with that state at once.
	watched, err := mediagate.WatchDelivery(ctx, genesys, final.GetName(), nil)
	if err != nil || watched.GetState() != mediagatev1.DeliveryState_DELIVERY_STATE_DELIVERED {
		t.Errorf("WatchDelivery of a delivered delivery: %v, %v", watched.GetState(), err)
	}
}

func isSubsequence(got, of []mediagatev1.DeliveryState) bool {
	i := 0
	for _, s := range got {
		for i < len(of) && of[i] != s {
			i++
		}
		if i == len(of) {
			return false
		}
		i++
	}
	return true
}

// The suite's own server has no Genesys Cloud settings.
func TestDeliverWithoutGenesysSettings(t *testing.T) {
	ctx := testContext(t)
	att, err := mediagate.Upload(ctx, client, bytes.NewReader(smallJPEG(t, 16, 16)), &mediagatev1.UploadHeader{FileName: "photo.jpg"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = mediagate.Deliver(ctx, client, att.GetName(), "conversation-1",
		mediagatev1.DeliveryMethod_DELIVERY_METHOD_UPLOAD, "go-not-configured", nil)
	if status.Code(err) != codes.FailedPrecondition {
		t.Fatalf("Deliver: %v, want FAILED_PRECONDITION", err)
	}
	details := mediagate.ErrorDetails(err)
	if len(details) == 0 {
		t.Fatalf("no ErrorInfo in %v", err)
	}
	if r, ok := details[0].ErrorReason(); !ok || r != mediagatev1.ErrorReason_ERROR_REASON_DELIVERY_NOT_CONFIGURED {
		t.Errorf("reason %q (%v), want DELIVERY_NOT_CONFIGURED", details[0].Reason, details[0].Enum)
	}
	if !mediagate.HasReason(err, mediagatev1.ErrorReason_ERROR_REASON_DELIVERY_NOT_CONFIGURED) {
		t.Errorf("HasReason(DELIVERY_NOT_CONFIGURED) is false: %+v", details)
	}
}

func TestIsFinal(t *testing.T) {
	for v := range mediagatev1.DeliveryState_name {
		s := mediagatev1.DeliveryState(v)
		want := s == mediagatev1.DeliveryState_DELIVERY_STATE_DELIVERED ||
			s == mediagatev1.DeliveryState_DELIVERY_STATE_FAILED ||
			s == mediagatev1.DeliveryState_DELIVERY_STATE_CANCELLED
		if mediagate.IsFinal(s) != want {
			t.Errorf("IsFinal(%v) = %v", s, !want)
		}
	}
}

// watchClient answers WatchDelivery with one scripted stream per call.
type watchClient struct {
	mediagatev1.AttachmentServiceClient
	streams []*watchStream
	calls   int
}

func (c *watchClient) WatchDelivery(ctx context.Context, in *mediagatev1.WatchDeliveryRequest, _ ...grpc.CallOption) (grpc.ServerStreamingClient[mediagatev1.Delivery], error) {
	if c.calls >= len(c.streams) {
		return nil, status.Error(codes.Internal, "no more scripted streams")
	}
	s := c.streams[c.calls]
	c.calls++
	return s, nil
}

// watchStream sends states, then ends with end (io.EOF for a clean end).
type watchStream struct {
	grpc.ClientStream
	states []mediagatev1.DeliveryState
	end    error
}

func (s *watchStream) Recv() (*mediagatev1.Delivery, error) {
	if len(s.states) == 0 {
		return nil, s.end
	}
	d := &mediagatev1.Delivery{Name: "deliveries/d1", State: s.states[0]}
	s.states = s.states[1:]
	return d, nil
}

const (
	pending   = mediagatev1.DeliveryState_DELIVERY_STATE_PENDING
	uploading = mediagatev1.DeliveryState_DELIVERY_STATE_UPLOADING
	validated = mediagatev1.DeliveryState_DELIVERY_STATE_VALIDATED
	delivered = mediagatev1.DeliveryState_DELIVERY_STATE_DELIVERED
)

func TestWatchDeliveryReopensAStreamThatEndsEarly(t *testing.T) {
	c := &watchClient{streams: []*watchStream{
		{states: []mediagatev1.DeliveryState{pending, uploading}, end: io.EOF},
		{states: []mediagatev1.DeliveryState{uploading}, end: status.Error(codes.Unavailable, "connection dropped")},
		// Each watch starts with the current state: uploading again, not reported twice.
		{states: []mediagatev1.DeliveryState{uploading, validated, delivered}, end: io.EOF},
	}}
	var seen []mediagatev1.DeliveryState
	final, err := mediagate.WatchDelivery(t.Context(), c, "deliveries/d1", func(d *mediagatev1.Delivery) {
		seen = append(seen, d.GetState())
	})
	if err != nil || final.GetState() != delivered {
		t.Fatalf("WatchDelivery: %v, %v", final, err)
	}
	if want := []mediagatev1.DeliveryState{pending, uploading, validated, delivered}; !slices.Equal(seen, want) {
		t.Errorf("onState saw %v, want %v", seen, want)
	}
	if c.calls != 3 {
		t.Errorf("%d watches, want 3", c.calls)
	}
}

func TestWatchDeliveryGivesUpAfterWatchReopens(t *testing.T) {
	var streams []*watchStream
	for range mediagate.WatchReopens + 1 {
		streams = append(streams, &watchStream{states: []mediagatev1.DeliveryState{pending}, end: io.EOF})
	}
	c := &watchClient{streams: streams}
	last, err := mediagate.WatchDelivery(t.Context(), c, "deliveries/d1", nil)
	if !errors.Is(err, mediagate.ErrWatchEnded) {
		t.Fatalf("err %v, want ErrWatchEnded", err)
	}
	if last.GetState() != pending || c.calls != mediagate.WatchReopens+1 {
		t.Errorf("last %v after %d watches", last, c.calls)
	}
}

func TestWatchDeliveryReturnsOtherStreamErrors(t *testing.T) {
	c := &watchClient{streams: []*watchStream{
		{end: status.Error(codes.NotFound, "no such delivery")},
		{states: []mediagatev1.DeliveryState{delivered}, end: io.EOF},
	}}
	_, err := mediagate.WatchDelivery(t.Context(), c, "deliveries/d1", nil)
	if status.Code(err) != codes.NotFound || c.calls != 1 {
		t.Errorf("err %v after %d watches, want NOT_FOUND after 1", err, c.calls)
	}
}
