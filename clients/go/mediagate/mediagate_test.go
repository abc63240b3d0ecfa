package mediagate_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/mediagate-dev/mediagate/clients/go/mediagate"
	"github.com/mediagate-dev/mediagate/clients/go/mediagatev1"
)

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// gradientPNG is a real w x h PNG made with the standard library.
func gradientPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{R: uint8(255 * x / w), G: uint8(255 * y / h), B: 128, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// noisePNG is a w x h PNG of seeded random pixels: it does not compress, so a few hundred
// pixels a side make a file of several chunks.
func noisePNG(t *testing.T, w, h int) []byte {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(rng.UintN(256))
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func TestListProfilesAgreesOnChunkSize(t *testing.T) {
	res, err := client.ListProfiles(testContext(t), &mediagatev1.ListProfilesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if res.GetRecommendedChunkSizeBytes() != mediagate.ChunkSize {
		t.Errorf("recommended chunk size %d, the client sends %d", res.GetRecommendedChunkSizeBytes(), mediagate.ChunkSize)
	}
	if res.GetMaxChunkSizeBytes() < mediagate.ChunkSize {
		t.Errorf("max chunk size %d is under the client's %d", res.GetMaxChunkSizeBytes(), mediagate.ChunkSize)
	}
	if res.GetDefaultProfile() != "web-messaging" {
		t.Errorf("default profile %q", res.GetDefaultProfile())
	}
}

func TestUploadPreviewDownload(t *testing.T) {
	ctx := testContext(t)
	content := gradientPNG(t, 64, 48)
	digest := sha256Hex(content)

	att, err := mediagate.Upload(ctx, client, bytes.NewReader(content), &mediagatev1.UploadHeader{
		FileName:          "gradient.png",
		DeclaredMimeType:  "image/png",
		DeclaredSizeBytes: int64(len(content)),
		ConversationId:    "conv-go-1",
		Labels:            map[string]string{"client": "go"},
	})
	if err != nil {
		t.Fatalf("Upload: %v (details %+v)", err, mediagate.ErrorDetails(err))
	}
	if got := att.GetDetectedMimeType(); got != "image/png" {
		t.Errorf("detected_mime_type %q, want image/png", got)
	}
	if att.GetSha256() != digest {
		t.Errorf("sha256 %s, want %s", att.GetSha256(), digest)
	}
	if att.GetSizeBytes() != int64(len(content)) {
		t.Errorf("size_bytes %d, want %d", att.GetSizeBytes(), len(content))
	}
	if img := att.GetImage(); img.GetWidth() != 64 || img.GetHeight() != 48 || img.GetFrameCount() != 1 {
		t.Errorf("image info %v, want 64x48, 1 frame", img)
	}
	if att.GetFileName() != "gradient.png" || att.GetProfile() != "web-messaging" || att.GetLabels()["client"] != "go" {
		t.Errorf("attachment %v", att)
	}

	// The default preview: WebP inside 300 x 300, never enlarged.
	preview, err := client.GetPreview(ctx, &mediagatev1.GetPreviewRequest{Name: att.GetName()})
	if err != nil {
		t.Fatalf("GetPreview: %v (details %+v)", err, mediagate.ErrorDetails(err))
	}
	if preview.GetMimeType() != "image/webp" {
		t.Errorf("preview mime type %q, want image/webp", preview.GetMimeType())
	}
	if preview.GetWidth() > 300 || preview.GetWidth() != 64 || preview.GetHeight() != 48 {
		t.Errorf("preview %dx%d, want the source's 64x48 (within 300)", preview.GetWidth(), preview.GetHeight())
	}
	c := preview.GetContent()
	if len(c) < 12 || string(c[0:4]) != "RIFF" || string(c[8:12]) != "WEBP" || int64(len(c)) != preview.GetSizeBytes() {
		t.Errorf("preview content is not a %d-byte WebP: % x", preview.GetSizeBytes(), c[:min(len(c), 16)])
	}
	if s := preview.GetSpec(); s.GetFormat() != mediagatev1.PreviewFormat_PREVIEW_FORMAT_WEBP || s.GetMaxWidth() != 300 {
		t.Errorf("preview spec after defaults %v", s)
	}

	var buf bytes.Buffer
	got, err := mediagate.DownloadTo(ctx, client, att.GetName(), &buf)
	if err != nil {
		t.Fatalf("DownloadTo: %v", err)
	}
	if !bytes.Equal(buf.Bytes(), content) {
		t.Errorf("downloaded %d bytes differ from the %d uploaded", buf.Len(), len(content))
	}
	if !proto.Equal(got, att) {
		t.Errorf("Download's attachment %v differs from Upload's %v", got, att)
	}

	path := filepath.Join(t.TempDir(), "copy.png")
	if _, err := mediagate.DownloadFile(ctx, client, att.GetName(), path); err != nil {
		t.Fatalf("DownloadFile: %v", err)
	}
	onDisk, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(onDisk, content) {
		t.Errorf("downloaded file differs from the upload")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("DownloadFile left %d entries, want only the file", len(entries))
	}
}

// A file of several chunks, the last one partial, read from disk by UploadFile.
func TestUploadFileOfSeveralChunks(t *testing.T) {
	ctx := testContext(t)
	content := noisePNG(t, 800, 600) // ~1.9 MB: two chunks
	if len(content) <= mediagate.ChunkSize || len(content)%mediagate.ChunkSize == 0 {
		t.Fatalf("want a file over one chunk with a partial last chunk, have %d bytes", len(content))
	}
	path := filepath.Join(t.TempDir(), "noise.png")
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}

	att, err := mediagate.UploadFile(ctx, client, path, nil)
	if err != nil {
		t.Fatalf("UploadFile: %v (details %+v)", err, mediagate.ErrorDetails(err))
	}
	if att.GetSha256() != sha256Hex(content) || att.GetSizeBytes() != int64(len(content)) {
		t.Errorf("stored %d bytes with sha256 %s, sent %d with %s", att.GetSizeBytes(), att.GetSha256(), len(content), sha256Hex(content))
	}
	if att.GetFileName() != "noise.png" || att.GetDetectedMimeType() != "image/png" {
		t.Errorf("attachment %q %q", att.GetFileName(), att.GetDetectedMimeType())
	}

	var buf bytes.Buffer
	if _, err := mediagate.DownloadTo(ctx, client, att.GetName(), &buf); err != nil {
		t.Fatalf("DownloadTo: %v", err)
	}
	if !bytes.Equal(buf.Bytes(), content) {
		t.Errorf("downloaded bytes differ from the upload")
	}
}

// Plain text declared as image/png: refused with TYPE_MISMATCH, read through ErrorDetails.
func TestRejectionTypeMismatch(t *testing.T) {
	ctx := testContext(t)
	text := []byte("Dear support,\nthis is plain text, not a picture.\n")

	_, err := mediagate.Upload(ctx, client, bytes.NewReader(text), &mediagatev1.UploadHeader{
		FileName:         "note.txt",
		DeclaredMimeType: "image/png",
	})
	if status.Code(err) != codes.InvalidArgument {
		t.Fatalf("Upload of text declared image/png: %v, want INVALID_ARGUMENT", err)
	}
	details := mediagate.ErrorDetails(err)
	if len(details) == 0 {
		t.Fatalf("no ErrorInfo in %v", err)
	}
	first := details[0]
	reason, ok := first.RejectionReason()
	if !ok || reason != mediagatev1.RejectionReason_REJECTION_REASON_TYPE_MISMATCH {
		t.Fatalf("decisive reason %q (%v), want TYPE_MISMATCH; all: %+v", first.Reason, first.Enum, details)
	}
	if first.Reason != "TYPE_MISMATCH" || first.Domain != mediagate.Domain {
		t.Errorf("ErrorInfo %q in %q", first.Reason, first.Domain)
	}
	if first.Enum != mediagatev1.RejectionReason_REJECTION_REASON_TYPE_MISMATCH {
		t.Errorf("Enum %v does not compare equal to the generated value", first.Enum)
	}
	if first.Metadata["declared_mime_type"] != "image/png" || first.Metadata["detected_mime_type"] != "text/plain" {
		t.Errorf("metadata %v, want declared image/png and detected text/plain", first.Metadata)
	}
	if !mediagate.HasReason(err, mediagatev1.RejectionReason_REJECTION_REASON_TYPE_MISMATCH) {
		t.Errorf("HasReason(TYPE_MISMATCH) is false")
	}

	// Validate gives the same reason as a value, not an error.
	verdict, err := mediagate.Validate(ctx, client, bytes.NewReader(text), &mediagatev1.UploadHeader{
		FileName:         "note.txt",
		DeclaredMimeType: "image/png",
	})
	if err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if verdict.GetAccepted() || len(verdict.GetRejections()) == 0 ||
		verdict.GetRejections()[0].GetReason() != mediagatev1.RejectionReason_REJECTION_REASON_TYPE_MISMATCH {
		t.Errorf("verdict %v, want refused with TYPE_MISMATCH first", verdict)
	}
	if verdict.GetSha256() != sha256Hex(text) {
		t.Errorf("verdict sha256 %s, want %s", verdict.GetSha256(), sha256Hex(text))
	}
}

// A refusal decided by the first bytes of a larger stream: the server stops reading, Send
// sees io.EOF, and Upload must still return the server's status, not io.EOF.
func TestRejectionBeforeTheEndOfTheStream(t *testing.T) {
	ctx := testContext(t)
	// A ZIP archive (not on the allow-list) followed by 3 MiB of filler.
	content := append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0}, 3<<20)...)
	_, err := mediagate.Upload(ctx, client, bytes.NewReader(content), &mediagatev1.UploadHeader{FileName: "archive.zip"})
	if status.Code(err) != codes.InvalidArgument {
		t.Fatalf("Upload: %v, want INVALID_ARGUMENT", err)
	}
	if details := mediagate.ErrorDetails(err); len(details) == 0 || details[0].Enum == nil {
		t.Fatalf("no known reason in %v: %+v", err, details)
	}
}

func TestOversizeDeclaredSize(t *testing.T) {
	ctx := testContext(t)
	_, err := mediagate.Upload(ctx, client, bytes.NewReader(gradientPNG(t, 8, 8)), &mediagatev1.UploadHeader{
		FileName:          "big.png",
		DeclaredSizeBytes: 1 << 40,
	})
	if status.Code(err) != codes.InvalidArgument || !mediagate.HasReason(err, mediagatev1.RejectionReason_REJECTION_REASON_TOO_LARGE) {
		t.Fatalf("Upload declaring 1 TiB: %v (details %+v), want TOO_LARGE", err, mediagate.ErrorDetails(err))
	}
	d := mediagate.ErrorDetails(err)[0]
	if d.Metadata["limit"] == "" || d.Metadata["actual"] != "1099511627776" {
		t.Errorf("TOO_LARGE metadata %v", d.Metadata)
	}
}

// A deleted attachment is NOT_FOUND with the ErrorReason ATTACHMENT_NOT_FOUND.
func TestNotFoundIsAnErrorReason(t *testing.T) {
	ctx := testContext(t)
	att, err := mediagate.Upload(ctx, client, bytes.NewReader(gradientPNG(t, 16, 16)), &mediagatev1.UploadHeader{FileName: "gone.png"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.DeleteAttachment(ctx, &mediagatev1.DeleteAttachmentRequest{Name: att.GetName()}); err != nil {
		t.Fatal(err)
	}

	var buf bytes.Buffer
	_, err = mediagate.DownloadTo(ctx, client, att.GetName(), &buf)
	if status.Code(err) != codes.NotFound || buf.Len() != 0 {
		t.Fatalf("DownloadTo of a deleted attachment: %v (%d bytes), want NOT_FOUND", err, buf.Len())
	}
	details := mediagate.ErrorDetails(err)
	if len(details) != 1 {
		t.Fatalf("details %+v, want one", details)
	}
	reason, ok := details[0].ErrorReason()
	if !ok || reason != mediagatev1.ErrorReason_ERROR_REASON_ATTACHMENT_NOT_FOUND {
		t.Errorf("reason %q (%v), want ATTACHMENT_NOT_FOUND", details[0].Reason, details[0].Enum)
	}
	if _, ok := details[0].RejectionReason(); ok {
		t.Errorf("ATTACHMENT_NOT_FOUND read as a RejectionReason")
	}

	_, err = client.GetPreview(ctx, &mediagatev1.GetPreviewRequest{Name: "not-a-name"})
	if status.Code(err) != codes.InvalidArgument || !mediagate.HasReason(err, mediagatev1.ErrorReason_ERROR_REASON_INVALID_NAME) {
		t.Errorf("GetPreview of a malformed name: %v (%+v), want INVALID_NAME", err, mediagate.ErrorDetails(err))
	}
}
