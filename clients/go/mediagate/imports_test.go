package mediagate_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/mediagate-dev/mediagate/clients/go/mediagate"
	"github.com/mediagate-dev/mediagate/clients/go/mediagatev1"
)

// importServer starts a mediagate server that may fetch from plain-http loopback URLs (the
// production default is https on Genesys Cloud's hosts only).
func importServer(t *testing.T) mediagatev1.AttachmentServiceClient {
	t.Helper()
	srv, err := startServer(
		"MEDIAGATE_IMPORT_ALLOWED_HOSTS=127.0.0.1",
		"MEDIAGATE_IMPORT_ALLOW_HTTP=true",
		"MEDIAGATE_IMPORT_ALLOWED_NETWORKS=127.0.0.1/32",
	)
	if err != nil {
		t.Fatalf("mediagate server for imports: %v", err)
	}
	conn, err := mediagate.Connect(srv.addr, mediagate.WithToken(creds.aliceToken))
	if err != nil {
		srv.stop()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn.Close()
		if err := srv.stop(); err != nil {
			t.Errorf("mediagate server for imports: %v", err)
		}
		if t.Failed() {
			t.Logf("--- import server log (last lines) ---\n%s", srv.log)
		}
	})
	return mediagatev1.NewAttachmentServiceClient(conn)
}

func TestImportFromUrlAndListImports(t *testing.T) {
	ctx := testContext(t)
	photo := gradientPNG(t, 40, 30)
	files := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(photo)
	}))
	t.Cleanup(files.Close)
	c := importServer(t)

	att, err := c.ImportFromUrl(ctx, &mediagatev1.ImportFromUrlRequest{
		Url:    files.URL + "/photo.png?signature=secret",
		Header: &mediagatev1.UploadHeader{FileName: "photo.png", ConversationId: "go-imports", Sha256: sha256Hex(photo)},
	})
	if err != nil {
		t.Fatalf("ImportFromUrl: %v", err)
	}
	if att.GetSha256() != sha256Hex(photo) || att.GetDetectedMimeType() != "image/png" {
		t.Errorf("imported %s %s, want the PNG", att.GetSha256(), att.GetDetectedMimeType())
	}

	// A metadata address is refused before anything is fetched, and recorded too.
	_, err = c.ImportFromUrl(ctx, &mediagatev1.ImportFromUrlRequest{
		Url:    "http://169.254.169.254/latest/meta-data/",
		Header: &mediagatev1.UploadHeader{ConversationId: "go-imports"},
	})
	if status.Code(err) != codes.InvalidArgument || !mediagate.HasReason(err, mediagatev1.ErrorReason_ERROR_REASON_URL_NOT_ALLOWED) {
		t.Fatalf("ImportFromUrl of a metadata address: %v, want URL_NOT_ALLOWED", err)
	}
	if why := mediagate.ErrorDetails(err)[0].Metadata["why"]; why != "host" {
		t.Errorf("why %q, want host (not on the allow-list)", why)
	}

	listed, err := c.ListImports(ctx, &mediagatev1.ListImportsRequest{ConversationId: "go-imports"})
	if err != nil {
		t.Fatal(err)
	}
	imports := listed.GetImports()
	if len(imports) != 2 {
		t.Fatalf("%d imports listed, want 2", len(imports))
	}
	refused, accepted := imports[0], imports[1] // newest first
	if accepted.GetState() != mediagatev1.ImportState_IMPORT_STATE_ACCEPTED || accepted.GetAttachment() != att.GetName() {
		t.Errorf("first import %v, want ACCEPTED as %s", accepted, att.GetName())
	}
	if accepted.GetUrl() != files.URL+"/photo.png" {
		t.Errorf("listed url %q: the query (a signature) must not be shown", accepted.GetUrl())
	}
	if refused.GetState() != mediagatev1.ImportState_IMPORT_STATE_FAILED || refused.GetReason() != "URL_NOT_ALLOWED" {
		t.Errorf("second import %v, want FAILED URL_NOT_ALLOWED", refused)
	}
}
