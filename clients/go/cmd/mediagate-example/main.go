// Command mediagate-example uploads a file to a mediagate server, saves its preview and
// downloads it back: the smallest complete use of the Go client.
//
//	mediagate-example [-addr 127.0.0.1:50051] [-token T] [-tls-ca ca.pem] [-tls-cert c.crt -tls-key c.key] photo.jpg
//
// The credentials default to $MEDIAGATE_TOKEN and $MEDIAGATE_TLS_CA / _CERT / _KEY, as for the
// Python CLI.
//
// writes photo.jpg.preview.webp and photo.jpg.download beside the file.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/mediagate-dev/mediagate/clients/go/mediagate"
	"github.com/mediagate-dev/mediagate/clients/go/mediagatev1"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:50051", "mediagate server address")
	token := flag.String("token", os.Getenv("MEDIAGATE_TOKEN"), "bearer token ($MEDIAGATE_TOKEN)")
	ca := flag.String("tls-ca", os.Getenv("MEDIAGATE_TLS_CA"), "speak TLS, trusting this CA ($MEDIAGATE_TLS_CA)")
	cert := flag.String("tls-cert", os.Getenv("MEDIAGATE_TLS_CERT"), "client certificate for mutual TLS ($MEDIAGATE_TLS_CERT)")
	key := flag.String("tls-key", os.Getenv("MEDIAGATE_TLS_KEY"), "its private key ($MEDIAGATE_TLS_KEY)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: mediagate-example [-addr host:port] [-token T] [-tls-ca F] [-tls-cert F -tls-key F] FILE")
		os.Exit(2)
	}
	path := flag.Arg(0)

	var opts []mediagate.Option
	if *token != "" {
		opts = append(opts, mediagate.WithToken(*token))
	}
	if *ca != "" {
		opts = append(opts, mediagate.WithTLS(*ca))
	}
	if *cert != "" || *key != "" {
		opts = append(opts, mediagate.WithClientCertificate(*cert, *key))
	}
	conn, err := mediagate.Connect(*addr, opts...)
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	client := mediagatev1.NewAttachmentServiceClient(conn)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	// Upload: header first, then 1 MiB chunks; the sha256 is checked against the server's.
	att, err := mediagate.UploadFile(ctx, client, path, nil)
	if err != nil {
		for _, d := range mediagate.ErrorDetails(err) {
			fmt.Fprintf(os.Stderr, "refused: %s %v\n", d.Reason, d.Metadata)
		}
		log.Fatal(err)
	}
	fmt.Printf("stored %s: %s, %d bytes, sha256 %s\n", att.GetName(), att.GetDetectedMimeType(), att.GetSizeBytes(), att.GetSha256())

	// Preview: the defaults are WebP inside 300 x 300.
	preview, err := client.GetPreview(ctx, &mediagatev1.GetPreviewRequest{Name: att.GetName()})
	if err != nil {
		log.Fatalf("preview: %v %+v", err, mediagate.ErrorDetails(err))
	}
	if err := os.WriteFile(path+".preview.webp", preview.GetContent(), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("preview %dx%d %s -> %s.preview.webp\n", preview.GetWidth(), preview.GetHeight(), preview.GetMimeType(), path)

	// Download: streamed to a temporary file, checked, then renamed into place.
	if _, err := mediagate.DownloadFile(ctx, client, att.GetName(), path+".download"); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("downloaded -> %s.download\n", path)
}
