package mediagate_test

// Tests of the helper's own logic against fakes: what exactly goes on the wire, and how
// statuses are read. The server-backed tests are in mediagate_test.go.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/mediagate-dev/mediagate/clients/go/mediagate"
	"github.com/mediagate-dev/mediagate/clients/go/mediagatev1"
)

// fakeClient records an Upload stream; its stream answers with answer (or answerErr), and
// stops accepting messages after acceptChunks chunks (Send returns io.EOF, as gRPC does once
// the server has ended the call) when acceptChunks >= 0.
type fakeClient struct {
	mediagatev1.AttachmentServiceClient
	stream *fakeStream
}

func (c *fakeClient) Upload(ctx context.Context, _ ...grpc.CallOption) (grpc.ClientStreamingClient[mediagatev1.UploadRequest, mediagatev1.Attachment], error) {
	c.stream.ctx = ctx
	return c.stream, nil
}

type fakeStream struct {
	grpc.ClientStream
	ctx          context.Context
	sent         []*mediagatev1.UploadRequest
	acceptChunks int
	answer       func(received []byte) (*mediagatev1.Attachment, error)
	closed       bool
}

func (s *fakeStream) Send(m *mediagatev1.UploadRequest) error {
	if s.closed {
		return errors.New("Send after CloseAndRecv")
	}
	if s.acceptChunks >= 0 && len(s.sent) > s.acceptChunks {
		return io.EOF
	}
	s.sent = append(s.sent, m)
	return nil
}

func (s *fakeStream) CloseAndRecv() (*mediagatev1.Attachment, error) {
	s.closed = true
	var received []byte
	for _, m := range s.sent[1:] {
		received = append(received, m.GetChunk()...)
	}
	return s.answer(received)
}

func storeAll(received []byte) (*mediagatev1.Attachment, error) {
	return &mediagatev1.Attachment{Name: "attachments/x", Sha256: sha256Hex(received), SizeBytes: int64(len(received))}, nil
}

func TestUploadSendsHeaderThenFullChunks(t *testing.T) {
	content := bytes.Repeat([]byte("0123456789abcdef"), (2*mediagate.ChunkSize+1000)/16)
	stream := &fakeStream{acceptChunks: -1, answer: storeAll}
	header := &mediagatev1.UploadHeader{FileName: "a.bin", Profile: "web-messaging"}

	// iotest-style reader that returns short reads: chunking must not follow the reads.
	att, err := mediagate.Upload(context.Background(), &fakeClient{stream: stream}, &shortReader{r: bytes.NewReader(content), max: 1000}, header)
	if err != nil {
		t.Fatal(err)
	}
	if att.GetSha256() != sha256Hex(content) {
		t.Errorf("fake stored other bytes")
	}
	if len(stream.sent) != 4 {
		t.Fatalf("sent %d messages, want header + 3 chunks", len(stream.sent))
	}
	if stream.sent[0].GetHeader() != header {
		t.Errorf("first message %v, want the header", stream.sent[0])
	}
	want := []int{mediagate.ChunkSize, mediagate.ChunkSize, len(content) - 2*mediagate.ChunkSize}
	for i, m := range stream.sent[1:] {
		if m.GetHeader() != nil || len(m.GetChunk()) != want[i] {
			t.Errorf("message %d: header %v, chunk of %d bytes, want %d", i+1, m.GetHeader(), len(m.GetChunk()), want[i])
		}
	}
}

func TestUploadOfNothingSendsOnlyTheHeader(t *testing.T) {
	stream := &fakeStream{acceptChunks: -1, answer: storeAll}
	if _, err := mediagate.Upload(context.Background(), &fakeClient{stream: stream}, bytes.NewReader(nil), nil); err != nil {
		t.Fatal(err)
	}
	if len(stream.sent) != 1 || stream.sent[0].GetHeader() == nil {
		t.Errorf("sent %v, want a lone (empty) header", stream.sent)
	}
}

func TestUploadChecksTheServersDigest(t *testing.T) {
	lying := func(received []byte) (*mediagatev1.Attachment, error) {
		return &mediagatev1.Attachment{Sha256: sha256Hex(append(received, 'x'))}, nil
	}
	_, err := mediagate.Upload(context.Background(), &fakeClient{stream: &fakeStream{acceptChunks: -1, answer: lying}}, bytes.NewReader([]byte("abc")), nil)
	if !errors.Is(err, mediagate.ErrDigestMismatch) {
		t.Errorf("err %v, want ErrDigestMismatch", err)
	}
	// An idempotency key changes nothing: the server never answers a key with other bytes.
	_, err = mediagate.Upload(context.Background(), &fakeClient{stream: &fakeStream{acceptChunks: -1, answer: lying}}, bytes.NewReader([]byte("abc")), &mediagatev1.UploadHeader{IdempotencyKey: "k"})
	if !errors.Is(err, mediagate.ErrDigestMismatch) {
		t.Errorf("err %v with an idempotency key, want ErrDigestMismatch", err)
	}
}

func TestUploadReturnsTheStatusWhenTheServerStopsReading(t *testing.T) {
	refusal := status.New(codes.InvalidArgument, "no")
	stream := &fakeStream{acceptChunks: 1, answer: func([]byte) (*mediagatev1.Attachment, error) { return nil, refusal.Err() }}
	_, err := mediagate.Upload(context.Background(), &fakeClient{stream: stream}, bytes.NewReader(make([]byte, 3*mediagate.ChunkSize)), nil)
	if status.Code(err) != codes.InvalidArgument {
		t.Errorf("err %v, want the server's INVALID_ARGUMENT", err)
	}
	if len(stream.sent) != 2 {
		t.Errorf("sent %d messages, want header + the one accepted chunk", len(stream.sent))
	}
}

func TestUploadCancelsOnAReadError(t *testing.T) {
	stream := &fakeStream{acceptChunks: -1, answer: storeAll}
	broken := io.MultiReader(bytes.NewReader([]byte("abc")), &failingReader{})
	_, err := mediagate.Upload(context.Background(), &fakeClient{stream: stream}, broken, nil)
	if !errors.Is(err, errDisk) {
		t.Errorf("err %v, want the reader's", err)
	}
	if stream.closed {
		t.Errorf("the stream was closed normally, so the server would judge a partial file")
	}
	if stream.ctx.Err() == nil {
		t.Errorf("the call's context was not cancelled")
	}
}

func TestErrorDetails(t *testing.T) {
	st, err := status.New(codes.InvalidArgument, "refused").WithDetails(
		&errdetails.ErrorInfo{Domain: "mediagate.v1", Reason: "ACTIVE_CONTENT", Metadata: map[string]string{"kind": "javascript"}},
		&errdetails.RetryInfo{RetryDelay: durationpb.New(1500 * time.Millisecond)},
		&errdetails.ErrorInfo{Domain: "mediagate.v1", Reason: "INVALID_HEADER"},
		&errdetails.ErrorInfo{Domain: "mediagate.v1", Reason: "SOMETHING_NEWER"},
		&errdetails.ErrorInfo{Domain: "example.com", Reason: "TOO_LARGE"},
	)
	if err != nil {
		t.Fatal(err)
	}
	callErr := fmt.Errorf("wrapped: %w", st.Err())
	got := mediagate.ErrorDetails(callErr)
	if len(got) != 4 {
		t.Fatalf("%d details, want 4: %+v", len(got), got)
	}
	if got[0].Enum != mediagatev1.RejectionReason_REJECTION_REASON_ACTIVE_CONTENT || got[0].Metadata["kind"] != "javascript" {
		t.Errorf("first %+v", got[0])
	}
	if r, ok := got[1].ErrorReason(); !ok || r != mediagatev1.ErrorReason_ERROR_REASON_INVALID_HEADER || got[1].Metadata == nil {
		t.Errorf("second %+v", got[1])
	}
	if got[2].Enum != nil || got[2].Reason != "SOMETHING_NEWER" {
		t.Errorf("an unknown reason mapped to %v", got[2].Enum)
	}
	if got[3].Enum != nil {
		t.Errorf("another domain's reason mapped to %v", got[3].Enum)
	}
	if d, ok := mediagate.RetryDelay(callErr); !ok || d != 1500*time.Millisecond {
		t.Errorf("RetryDelay %v %v", d, ok)
	}
	if mediagate.ErrorDetails(errors.New("plain")) != nil || mediagate.ErrorDetails(nil) != nil {
		t.Errorf("details from an error without a status")
	}
}

func TestReasonNamesRoundTrip(t *testing.T) {
	for v := range mediagatev1.RejectionReason_name {
		r := mediagatev1.RejectionReason(v)
		if r == 0 {
			continue
		}
		if back := mediagate.ReasonEnum(mediagate.ReasonName(r)); back != r {
			t.Errorf("%v -> %q -> %v", r, mediagate.ReasonName(r), back)
		}
	}
	for v := range mediagatev1.ErrorReason_name {
		r := mediagatev1.ErrorReason(v)
		if r == 0 {
			continue
		}
		if back := mediagate.ReasonEnum(mediagate.ReasonName(r)); back != r {
			t.Errorf("%v -> %q -> %v", r, mediagate.ReasonName(r), back)
		}
	}
	if mediagate.ReasonEnum("UNSPECIFIED") != nil {
		t.Errorf("UNSPECIFIED maps to a value")
	}
}

type shortReader struct {
	r   io.Reader
	max int
}

func (s *shortReader) Read(p []byte) (int, error) {
	return s.r.Read(p[:min(len(p), s.max)])
}

var errDisk = errors.New("disk on fire")

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errDisk }
