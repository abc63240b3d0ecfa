package dev.mediagate.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * AttachmentService takes in files guests send in web messaging, decides from the bytes what
 * they are and whether policy accepts them, keeps the accepted ones, and serves them back.
 * Every error carries a google.rpc.Status with a google.rpc.ErrorInfo (domain "mediagate.v1")
 * whose reason is a RejectionReason or ErrorReason value name without its prefix. Any RPC may
 * also answer INTERNAL for a server fault: its message is generic (no exception names, paths or
 * file contents reach a caller) and carries no ErrorInfo; the details are in the server's log.
 * Every read or delete is scoped to the caller's tenant: another tenant's attachment is
 * NOT_FOUND, never PERMISSION_DENIED.
 * Field behaviour (AIP-203) is marked on every field: REQUIRED where the server refuses a
 * request without the field (an empty name is INVALID_NAME); OUTPUT_ONLY on what only the server
 * writes (every field of a message that travels only in responses, and an Attachment's measured
 * facts); IMMUTABLE on what a caller chose when uploading an attachment; OPTIONAL elsewhere.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class AttachmentServiceGrpc {

  private AttachmentServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "mediagate.v1.AttachmentService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.mediagate.v1.UploadRequest,
      dev.mediagate.v1.Attachment> getUploadMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Upload",
      requestType = dev.mediagate.v1.UploadRequest.class,
      responseType = dev.mediagate.v1.Attachment.class,
      methodType = io.grpc.MethodDescriptor.MethodType.CLIENT_STREAMING)
  public static io.grpc.MethodDescriptor<dev.mediagate.v1.UploadRequest,
      dev.mediagate.v1.Attachment> getUploadMethod() {
    io.grpc.MethodDescriptor<dev.mediagate.v1.UploadRequest, dev.mediagate.v1.Attachment> getUploadMethod;
    if ((getUploadMethod = AttachmentServiceGrpc.getUploadMethod) == null) {
      synchronized (AttachmentServiceGrpc.class) {
        if ((getUploadMethod = AttachmentServiceGrpc.getUploadMethod) == null) {
          AttachmentServiceGrpc.getUploadMethod = getUploadMethod =
              io.grpc.MethodDescriptor.<dev.mediagate.v1.UploadRequest, dev.mediagate.v1.Attachment>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.CLIENT_STREAMING)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Upload"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.UploadRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.Attachment.getDefaultInstance()))
              .setSchemaDescriptor(new AttachmentServiceMethodDescriptorSupplier("Upload"))
              .build();
        }
      }
    }
    return getUploadMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.mediagate.v1.UploadRequest,
      dev.mediagate.v1.Verdict> getValidateMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Validate",
      requestType = dev.mediagate.v1.UploadRequest.class,
      responseType = dev.mediagate.v1.Verdict.class,
      methodType = io.grpc.MethodDescriptor.MethodType.CLIENT_STREAMING)
  public static io.grpc.MethodDescriptor<dev.mediagate.v1.UploadRequest,
      dev.mediagate.v1.Verdict> getValidateMethod() {
    io.grpc.MethodDescriptor<dev.mediagate.v1.UploadRequest, dev.mediagate.v1.Verdict> getValidateMethod;
    if ((getValidateMethod = AttachmentServiceGrpc.getValidateMethod) == null) {
      synchronized (AttachmentServiceGrpc.class) {
        if ((getValidateMethod = AttachmentServiceGrpc.getValidateMethod) == null) {
          AttachmentServiceGrpc.getValidateMethod = getValidateMethod =
              io.grpc.MethodDescriptor.<dev.mediagate.v1.UploadRequest, dev.mediagate.v1.Verdict>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.CLIENT_STREAMING)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Validate"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.UploadRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.Verdict.getDefaultInstance()))
              .setSchemaDescriptor(new AttachmentServiceMethodDescriptorSupplier("Validate"))
              .build();
        }
      }
    }
    return getValidateMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.mediagate.v1.GetAttachmentRequest,
      dev.mediagate.v1.Attachment> getGetAttachmentMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetAttachment",
      requestType = dev.mediagate.v1.GetAttachmentRequest.class,
      responseType = dev.mediagate.v1.Attachment.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.mediagate.v1.GetAttachmentRequest,
      dev.mediagate.v1.Attachment> getGetAttachmentMethod() {
    io.grpc.MethodDescriptor<dev.mediagate.v1.GetAttachmentRequest, dev.mediagate.v1.Attachment> getGetAttachmentMethod;
    if ((getGetAttachmentMethod = AttachmentServiceGrpc.getGetAttachmentMethod) == null) {
      synchronized (AttachmentServiceGrpc.class) {
        if ((getGetAttachmentMethod = AttachmentServiceGrpc.getGetAttachmentMethod) == null) {
          AttachmentServiceGrpc.getGetAttachmentMethod = getGetAttachmentMethod =
              io.grpc.MethodDescriptor.<dev.mediagate.v1.GetAttachmentRequest, dev.mediagate.v1.Attachment>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetAttachment"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.GetAttachmentRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.Attachment.getDefaultInstance()))
              .setSchemaDescriptor(new AttachmentServiceMethodDescriptorSupplier("GetAttachment"))
              .build();
        }
      }
    }
    return getGetAttachmentMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.mediagate.v1.ListAttachmentsRequest,
      dev.mediagate.v1.ListAttachmentsResponse> getListAttachmentsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListAttachments",
      requestType = dev.mediagate.v1.ListAttachmentsRequest.class,
      responseType = dev.mediagate.v1.ListAttachmentsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.mediagate.v1.ListAttachmentsRequest,
      dev.mediagate.v1.ListAttachmentsResponse> getListAttachmentsMethod() {
    io.grpc.MethodDescriptor<dev.mediagate.v1.ListAttachmentsRequest, dev.mediagate.v1.ListAttachmentsResponse> getListAttachmentsMethod;
    if ((getListAttachmentsMethod = AttachmentServiceGrpc.getListAttachmentsMethod) == null) {
      synchronized (AttachmentServiceGrpc.class) {
        if ((getListAttachmentsMethod = AttachmentServiceGrpc.getListAttachmentsMethod) == null) {
          AttachmentServiceGrpc.getListAttachmentsMethod = getListAttachmentsMethod =
              io.grpc.MethodDescriptor.<dev.mediagate.v1.ListAttachmentsRequest, dev.mediagate.v1.ListAttachmentsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListAttachments"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.ListAttachmentsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.ListAttachmentsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AttachmentServiceMethodDescriptorSupplier("ListAttachments"))
              .build();
        }
      }
    }
    return getListAttachmentsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.mediagate.v1.DeleteAttachmentRequest,
      dev.mediagate.v1.DeleteAttachmentResponse> getDeleteAttachmentMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "DeleteAttachment",
      requestType = dev.mediagate.v1.DeleteAttachmentRequest.class,
      responseType = dev.mediagate.v1.DeleteAttachmentResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.mediagate.v1.DeleteAttachmentRequest,
      dev.mediagate.v1.DeleteAttachmentResponse> getDeleteAttachmentMethod() {
    io.grpc.MethodDescriptor<dev.mediagate.v1.DeleteAttachmentRequest, dev.mediagate.v1.DeleteAttachmentResponse> getDeleteAttachmentMethod;
    if ((getDeleteAttachmentMethod = AttachmentServiceGrpc.getDeleteAttachmentMethod) == null) {
      synchronized (AttachmentServiceGrpc.class) {
        if ((getDeleteAttachmentMethod = AttachmentServiceGrpc.getDeleteAttachmentMethod) == null) {
          AttachmentServiceGrpc.getDeleteAttachmentMethod = getDeleteAttachmentMethod =
              io.grpc.MethodDescriptor.<dev.mediagate.v1.DeleteAttachmentRequest, dev.mediagate.v1.DeleteAttachmentResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "DeleteAttachment"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.DeleteAttachmentRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.DeleteAttachmentResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AttachmentServiceMethodDescriptorSupplier("DeleteAttachment"))
              .build();
        }
      }
    }
    return getDeleteAttachmentMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.mediagate.v1.DownloadRequest,
      dev.mediagate.v1.DownloadResponse> getDownloadMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Download",
      requestType = dev.mediagate.v1.DownloadRequest.class,
      responseType = dev.mediagate.v1.DownloadResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
  public static io.grpc.MethodDescriptor<dev.mediagate.v1.DownloadRequest,
      dev.mediagate.v1.DownloadResponse> getDownloadMethod() {
    io.grpc.MethodDescriptor<dev.mediagate.v1.DownloadRequest, dev.mediagate.v1.DownloadResponse> getDownloadMethod;
    if ((getDownloadMethod = AttachmentServiceGrpc.getDownloadMethod) == null) {
      synchronized (AttachmentServiceGrpc.class) {
        if ((getDownloadMethod = AttachmentServiceGrpc.getDownloadMethod) == null) {
          AttachmentServiceGrpc.getDownloadMethod = getDownloadMethod =
              io.grpc.MethodDescriptor.<dev.mediagate.v1.DownloadRequest, dev.mediagate.v1.DownloadResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Download"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.DownloadRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.DownloadResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AttachmentServiceMethodDescriptorSupplier("Download"))
              .build();
        }
      }
    }
    return getDownloadMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.mediagate.v1.ListProfilesRequest,
      dev.mediagate.v1.ListProfilesResponse> getListProfilesMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListProfiles",
      requestType = dev.mediagate.v1.ListProfilesRequest.class,
      responseType = dev.mediagate.v1.ListProfilesResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.mediagate.v1.ListProfilesRequest,
      dev.mediagate.v1.ListProfilesResponse> getListProfilesMethod() {
    io.grpc.MethodDescriptor<dev.mediagate.v1.ListProfilesRequest, dev.mediagate.v1.ListProfilesResponse> getListProfilesMethod;
    if ((getListProfilesMethod = AttachmentServiceGrpc.getListProfilesMethod) == null) {
      synchronized (AttachmentServiceGrpc.class) {
        if ((getListProfilesMethod = AttachmentServiceGrpc.getListProfilesMethod) == null) {
          AttachmentServiceGrpc.getListProfilesMethod = getListProfilesMethod =
              io.grpc.MethodDescriptor.<dev.mediagate.v1.ListProfilesRequest, dev.mediagate.v1.ListProfilesResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListProfiles"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.ListProfilesRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.ListProfilesResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AttachmentServiceMethodDescriptorSupplier("ListProfiles"))
              .build();
        }
      }
    }
    return getListProfilesMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.mediagate.v1.GetPreviewRequest,
      dev.mediagate.v1.Preview> getGetPreviewMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetPreview",
      requestType = dev.mediagate.v1.GetPreviewRequest.class,
      responseType = dev.mediagate.v1.Preview.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.mediagate.v1.GetPreviewRequest,
      dev.mediagate.v1.Preview> getGetPreviewMethod() {
    io.grpc.MethodDescriptor<dev.mediagate.v1.GetPreviewRequest, dev.mediagate.v1.Preview> getGetPreviewMethod;
    if ((getGetPreviewMethod = AttachmentServiceGrpc.getGetPreviewMethod) == null) {
      synchronized (AttachmentServiceGrpc.class) {
        if ((getGetPreviewMethod = AttachmentServiceGrpc.getGetPreviewMethod) == null) {
          AttachmentServiceGrpc.getGetPreviewMethod = getGetPreviewMethod =
              io.grpc.MethodDescriptor.<dev.mediagate.v1.GetPreviewRequest, dev.mediagate.v1.Preview>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetPreview"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.GetPreviewRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.Preview.getDefaultInstance()))
              .setSchemaDescriptor(new AttachmentServiceMethodDescriptorSupplier("GetPreview"))
              .build();
        }
      }
    }
    return getGetPreviewMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.mediagate.v1.UploadVoiceMessageRequest,
      dev.mediagate.v1.VoiceMessage> getUploadVoiceMessageMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "UploadVoiceMessage",
      requestType = dev.mediagate.v1.UploadVoiceMessageRequest.class,
      responseType = dev.mediagate.v1.VoiceMessage.class,
      methodType = io.grpc.MethodDescriptor.MethodType.CLIENT_STREAMING)
  public static io.grpc.MethodDescriptor<dev.mediagate.v1.UploadVoiceMessageRequest,
      dev.mediagate.v1.VoiceMessage> getUploadVoiceMessageMethod() {
    io.grpc.MethodDescriptor<dev.mediagate.v1.UploadVoiceMessageRequest, dev.mediagate.v1.VoiceMessage> getUploadVoiceMessageMethod;
    if ((getUploadVoiceMessageMethod = AttachmentServiceGrpc.getUploadVoiceMessageMethod) == null) {
      synchronized (AttachmentServiceGrpc.class) {
        if ((getUploadVoiceMessageMethod = AttachmentServiceGrpc.getUploadVoiceMessageMethod) == null) {
          AttachmentServiceGrpc.getUploadVoiceMessageMethod = getUploadVoiceMessageMethod =
              io.grpc.MethodDescriptor.<dev.mediagate.v1.UploadVoiceMessageRequest, dev.mediagate.v1.VoiceMessage>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.CLIENT_STREAMING)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "UploadVoiceMessage"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.UploadVoiceMessageRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.VoiceMessage.getDefaultInstance()))
              .setSchemaDescriptor(new AttachmentServiceMethodDescriptorSupplier("UploadVoiceMessage"))
              .build();
        }
      }
    }
    return getUploadVoiceMessageMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.mediagate.v1.GetVoiceMessageRequest,
      dev.mediagate.v1.VoiceMessage> getGetVoiceMessageMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetVoiceMessage",
      requestType = dev.mediagate.v1.GetVoiceMessageRequest.class,
      responseType = dev.mediagate.v1.VoiceMessage.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.mediagate.v1.GetVoiceMessageRequest,
      dev.mediagate.v1.VoiceMessage> getGetVoiceMessageMethod() {
    io.grpc.MethodDescriptor<dev.mediagate.v1.GetVoiceMessageRequest, dev.mediagate.v1.VoiceMessage> getGetVoiceMessageMethod;
    if ((getGetVoiceMessageMethod = AttachmentServiceGrpc.getGetVoiceMessageMethod) == null) {
      synchronized (AttachmentServiceGrpc.class) {
        if ((getGetVoiceMessageMethod = AttachmentServiceGrpc.getGetVoiceMessageMethod) == null) {
          AttachmentServiceGrpc.getGetVoiceMessageMethod = getGetVoiceMessageMethod =
              io.grpc.MethodDescriptor.<dev.mediagate.v1.GetVoiceMessageRequest, dev.mediagate.v1.VoiceMessage>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetVoiceMessage"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.GetVoiceMessageRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.VoiceMessage.getDefaultInstance()))
              .setSchemaDescriptor(new AttachmentServiceMethodDescriptorSupplier("GetVoiceMessage"))
              .build();
        }
      }
    }
    return getGetVoiceMessageMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.mediagate.v1.CreateSignedUrlRequest,
      dev.mediagate.v1.SignedUrl> getCreateSignedUrlMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CreateSignedUrl",
      requestType = dev.mediagate.v1.CreateSignedUrlRequest.class,
      responseType = dev.mediagate.v1.SignedUrl.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.mediagate.v1.CreateSignedUrlRequest,
      dev.mediagate.v1.SignedUrl> getCreateSignedUrlMethod() {
    io.grpc.MethodDescriptor<dev.mediagate.v1.CreateSignedUrlRequest, dev.mediagate.v1.SignedUrl> getCreateSignedUrlMethod;
    if ((getCreateSignedUrlMethod = AttachmentServiceGrpc.getCreateSignedUrlMethod) == null) {
      synchronized (AttachmentServiceGrpc.class) {
        if ((getCreateSignedUrlMethod = AttachmentServiceGrpc.getCreateSignedUrlMethod) == null) {
          AttachmentServiceGrpc.getCreateSignedUrlMethod = getCreateSignedUrlMethod =
              io.grpc.MethodDescriptor.<dev.mediagate.v1.CreateSignedUrlRequest, dev.mediagate.v1.SignedUrl>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CreateSignedUrl"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.CreateSignedUrlRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.SignedUrl.getDefaultInstance()))
              .setSchemaDescriptor(new AttachmentServiceMethodDescriptorSupplier("CreateSignedUrl"))
              .build();
        }
      }
    }
    return getCreateSignedUrlMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.mediagate.v1.DeliverAttachmentRequest,
      dev.mediagate.v1.Delivery> getDeliverAttachmentMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "DeliverAttachment",
      requestType = dev.mediagate.v1.DeliverAttachmentRequest.class,
      responseType = dev.mediagate.v1.Delivery.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.mediagate.v1.DeliverAttachmentRequest,
      dev.mediagate.v1.Delivery> getDeliverAttachmentMethod() {
    io.grpc.MethodDescriptor<dev.mediagate.v1.DeliverAttachmentRequest, dev.mediagate.v1.Delivery> getDeliverAttachmentMethod;
    if ((getDeliverAttachmentMethod = AttachmentServiceGrpc.getDeliverAttachmentMethod) == null) {
      synchronized (AttachmentServiceGrpc.class) {
        if ((getDeliverAttachmentMethod = AttachmentServiceGrpc.getDeliverAttachmentMethod) == null) {
          AttachmentServiceGrpc.getDeliverAttachmentMethod = getDeliverAttachmentMethod =
              io.grpc.MethodDescriptor.<dev.mediagate.v1.DeliverAttachmentRequest, dev.mediagate.v1.Delivery>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "DeliverAttachment"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.DeliverAttachmentRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.Delivery.getDefaultInstance()))
              .setSchemaDescriptor(new AttachmentServiceMethodDescriptorSupplier("DeliverAttachment"))
              .build();
        }
      }
    }
    return getDeliverAttachmentMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.mediagate.v1.GetDeliveryRequest,
      dev.mediagate.v1.Delivery> getGetDeliveryMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetDelivery",
      requestType = dev.mediagate.v1.GetDeliveryRequest.class,
      responseType = dev.mediagate.v1.Delivery.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.mediagate.v1.GetDeliveryRequest,
      dev.mediagate.v1.Delivery> getGetDeliveryMethod() {
    io.grpc.MethodDescriptor<dev.mediagate.v1.GetDeliveryRequest, dev.mediagate.v1.Delivery> getGetDeliveryMethod;
    if ((getGetDeliveryMethod = AttachmentServiceGrpc.getGetDeliveryMethod) == null) {
      synchronized (AttachmentServiceGrpc.class) {
        if ((getGetDeliveryMethod = AttachmentServiceGrpc.getGetDeliveryMethod) == null) {
          AttachmentServiceGrpc.getGetDeliveryMethod = getGetDeliveryMethod =
              io.grpc.MethodDescriptor.<dev.mediagate.v1.GetDeliveryRequest, dev.mediagate.v1.Delivery>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetDelivery"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.GetDeliveryRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.Delivery.getDefaultInstance()))
              .setSchemaDescriptor(new AttachmentServiceMethodDescriptorSupplier("GetDelivery"))
              .build();
        }
      }
    }
    return getGetDeliveryMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.mediagate.v1.ListDeliveriesRequest,
      dev.mediagate.v1.ListDeliveriesResponse> getListDeliveriesMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListDeliveries",
      requestType = dev.mediagate.v1.ListDeliveriesRequest.class,
      responseType = dev.mediagate.v1.ListDeliveriesResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.mediagate.v1.ListDeliveriesRequest,
      dev.mediagate.v1.ListDeliveriesResponse> getListDeliveriesMethod() {
    io.grpc.MethodDescriptor<dev.mediagate.v1.ListDeliveriesRequest, dev.mediagate.v1.ListDeliveriesResponse> getListDeliveriesMethod;
    if ((getListDeliveriesMethod = AttachmentServiceGrpc.getListDeliveriesMethod) == null) {
      synchronized (AttachmentServiceGrpc.class) {
        if ((getListDeliveriesMethod = AttachmentServiceGrpc.getListDeliveriesMethod) == null) {
          AttachmentServiceGrpc.getListDeliveriesMethod = getListDeliveriesMethod =
              io.grpc.MethodDescriptor.<dev.mediagate.v1.ListDeliveriesRequest, dev.mediagate.v1.ListDeliveriesResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListDeliveries"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.ListDeliveriesRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.ListDeliveriesResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AttachmentServiceMethodDescriptorSupplier("ListDeliveries"))
              .build();
        }
      }
    }
    return getListDeliveriesMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.mediagate.v1.CancelDeliveryRequest,
      dev.mediagate.v1.Delivery> getCancelDeliveryMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CancelDelivery",
      requestType = dev.mediagate.v1.CancelDeliveryRequest.class,
      responseType = dev.mediagate.v1.Delivery.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.mediagate.v1.CancelDeliveryRequest,
      dev.mediagate.v1.Delivery> getCancelDeliveryMethod() {
    io.grpc.MethodDescriptor<dev.mediagate.v1.CancelDeliveryRequest, dev.mediagate.v1.Delivery> getCancelDeliveryMethod;
    if ((getCancelDeliveryMethod = AttachmentServiceGrpc.getCancelDeliveryMethod) == null) {
      synchronized (AttachmentServiceGrpc.class) {
        if ((getCancelDeliveryMethod = AttachmentServiceGrpc.getCancelDeliveryMethod) == null) {
          AttachmentServiceGrpc.getCancelDeliveryMethod = getCancelDeliveryMethod =
              io.grpc.MethodDescriptor.<dev.mediagate.v1.CancelDeliveryRequest, dev.mediagate.v1.Delivery>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CancelDelivery"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.CancelDeliveryRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.Delivery.getDefaultInstance()))
              .setSchemaDescriptor(new AttachmentServiceMethodDescriptorSupplier("CancelDelivery"))
              .build();
        }
      }
    }
    return getCancelDeliveryMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.mediagate.v1.WatchDeliveryRequest,
      dev.mediagate.v1.Delivery> getWatchDeliveryMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "WatchDelivery",
      requestType = dev.mediagate.v1.WatchDeliveryRequest.class,
      responseType = dev.mediagate.v1.Delivery.class,
      methodType = io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
  public static io.grpc.MethodDescriptor<dev.mediagate.v1.WatchDeliveryRequest,
      dev.mediagate.v1.Delivery> getWatchDeliveryMethod() {
    io.grpc.MethodDescriptor<dev.mediagate.v1.WatchDeliveryRequest, dev.mediagate.v1.Delivery> getWatchDeliveryMethod;
    if ((getWatchDeliveryMethod = AttachmentServiceGrpc.getWatchDeliveryMethod) == null) {
      synchronized (AttachmentServiceGrpc.class) {
        if ((getWatchDeliveryMethod = AttachmentServiceGrpc.getWatchDeliveryMethod) == null) {
          AttachmentServiceGrpc.getWatchDeliveryMethod = getWatchDeliveryMethod =
              io.grpc.MethodDescriptor.<dev.mediagate.v1.WatchDeliveryRequest, dev.mediagate.v1.Delivery>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "WatchDelivery"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.WatchDeliveryRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.Delivery.getDefaultInstance()))
              .setSchemaDescriptor(new AttachmentServiceMethodDescriptorSupplier("WatchDelivery"))
              .build();
        }
      }
    }
    return getWatchDeliveryMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.mediagate.v1.ImportFromUrlRequest,
      dev.mediagate.v1.Attachment> getImportFromUrlMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ImportFromUrl",
      requestType = dev.mediagate.v1.ImportFromUrlRequest.class,
      responseType = dev.mediagate.v1.Attachment.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.mediagate.v1.ImportFromUrlRequest,
      dev.mediagate.v1.Attachment> getImportFromUrlMethod() {
    io.grpc.MethodDescriptor<dev.mediagate.v1.ImportFromUrlRequest, dev.mediagate.v1.Attachment> getImportFromUrlMethod;
    if ((getImportFromUrlMethod = AttachmentServiceGrpc.getImportFromUrlMethod) == null) {
      synchronized (AttachmentServiceGrpc.class) {
        if ((getImportFromUrlMethod = AttachmentServiceGrpc.getImportFromUrlMethod) == null) {
          AttachmentServiceGrpc.getImportFromUrlMethod = getImportFromUrlMethod =
              io.grpc.MethodDescriptor.<dev.mediagate.v1.ImportFromUrlRequest, dev.mediagate.v1.Attachment>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ImportFromUrl"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.ImportFromUrlRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.Attachment.getDefaultInstance()))
              .setSchemaDescriptor(new AttachmentServiceMethodDescriptorSupplier("ImportFromUrl"))
              .build();
        }
      }
    }
    return getImportFromUrlMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.mediagate.v1.ListImportsRequest,
      dev.mediagate.v1.ListImportsResponse> getListImportsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListImports",
      requestType = dev.mediagate.v1.ListImportsRequest.class,
      responseType = dev.mediagate.v1.ListImportsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.mediagate.v1.ListImportsRequest,
      dev.mediagate.v1.ListImportsResponse> getListImportsMethod() {
    io.grpc.MethodDescriptor<dev.mediagate.v1.ListImportsRequest, dev.mediagate.v1.ListImportsResponse> getListImportsMethod;
    if ((getListImportsMethod = AttachmentServiceGrpc.getListImportsMethod) == null) {
      synchronized (AttachmentServiceGrpc.class) {
        if ((getListImportsMethod = AttachmentServiceGrpc.getListImportsMethod) == null) {
          AttachmentServiceGrpc.getListImportsMethod = getListImportsMethod =
              io.grpc.MethodDescriptor.<dev.mediagate.v1.ListImportsRequest, dev.mediagate.v1.ListImportsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListImports"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.ListImportsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.ListImportsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AttachmentServiceMethodDescriptorSupplier("ListImports"))
              .build();
        }
      }
    }
    return getListImportsMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static AttachmentServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AttachmentServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AttachmentServiceStub>() {
        @java.lang.Override
        public AttachmentServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AttachmentServiceStub(channel, callOptions);
        }
      };
    return AttachmentServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static AttachmentServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AttachmentServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AttachmentServiceBlockingV2Stub>() {
        @java.lang.Override
        public AttachmentServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AttachmentServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return AttachmentServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static AttachmentServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AttachmentServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AttachmentServiceBlockingStub>() {
        @java.lang.Override
        public AttachmentServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AttachmentServiceBlockingStub(channel, callOptions);
        }
      };
    return AttachmentServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static AttachmentServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AttachmentServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AttachmentServiceFutureStub>() {
        @java.lang.Override
        public AttachmentServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AttachmentServiceFutureStub(channel, callOptions);
        }
      };
    return AttachmentServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * AttachmentService takes in files guests send in web messaging, decides from the bytes what
   * they are and whether policy accepts them, keeps the accepted ones, and serves them back.
   * Every error carries a google.rpc.Status with a google.rpc.ErrorInfo (domain "mediagate.v1")
   * whose reason is a RejectionReason or ErrorReason value name without its prefix. Any RPC may
   * also answer INTERNAL for a server fault: its message is generic (no exception names, paths or
   * file contents reach a caller) and carries no ErrorInfo; the details are in the server's log.
   * Every read or delete is scoped to the caller's tenant: another tenant's attachment is
   * NOT_FOUND, never PERMISSION_DENIED.
   * Field behaviour (AIP-203) is marked on every field: REQUIRED where the server refuses a
   * request without the field (an empty name is INVALID_NAME); OUTPUT_ONLY on what only the server
   * writes (every field of a message that travels only in responses, and an Attachment's measured
   * facts); IMMUTABLE on what a caller chose when uploading an attachment; OPTIONAL elsewhere.
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Streams a file in and stores it if the profile accepts it.
     * The first message carries `header`; every later one a `chunk` of at most
     * max_chunk_size_bytes (1 MiB); recommended_chunk_size_bytes (also 1 MiB) is the measured best
     * (bench/upload_throughput.py). Memory per upload stays at about two chunks.
     * The bytes are hashed and spooled as they arrive and never held whole in memory; the server
     * stops reading as soon as the bytes decide the answer (declared size over the limit before
     * any chunk, received bytes over the limit, a type the profile refuses in the first 64 KiB,
     * a declared size or received bytes that the quota or the server's storage has no room for).
     * Storage limits: a tenant's quota counts its attachments' sizes (identical files count each
     * time) and their number; the server's storage cap counts the bytes it holds (identical files
     * once); and uploads stop while free disk space is down to the reserve kept for reads and
     * deletes. Uploads racing for the last bytes of a quota are decided when each commits:
     * those that fit are kept, the others refused.
     * Idempotency: an idempotency_key (per tenant) names one upload. A retry with the same bytes
     * returns the first attachment and stores nothing (with the header's sha256 it is answered
     * before any chunk is read). The same key with other bytes, or first used with
     * UploadVoiceMessage, is ALREADY_EXISTS IDEMPOTENCY_KEY_REUSED, never another file. Uses of
     * one key at once are served one after the other. An upload whose caller goes away before it
     * is committed is not kept; one committed in that instant is kept only if it has a key (the
     * retry gets it). Identical bytes are stored once; each upload still gets its own Attachment.
     * Admission: an upload is admitted before any byte is read. Each connection and each caller
     * may have a bounded number in flight (RESOURCE_EXHAUSTED TOO_MANY_UPLOADS with RetryInfo);
     * server-wide, an upload over the limit waits briefly for a slot, then is refused the same
     * way. After the first 16 chunks, chunks must average at least 4 KiB (CHUNK_TOO_SMALL), and
     * an upload that sends nothing for 30 s is ended (DEADLINE_EXCEEDED UPLOAD_IDLE); both are
     * server settings.
     * Errors:
     *   INVALID_ARGUMENT   a RejectionReason (the file is refused; nothing is kept), or
     *                      MISSING_HEADER, DUPLICATE_HEADER, CHUNK_TOO_LARGE, CHUNK_TOO_SMALL,
     *                      INVALID_HEADER, UNKNOWN_PROFILE, EMPTY_STREAM.
     *   ALREADY_EXISTS     IDEMPOTENCY_KEY_REUSED (above).
     *   RESOURCE_EXHAUSTED OVERLOADED: every inspection worker is busy; TOO_MANY_UPLOADS
     *                      (above); google.rpc.RetryInfo says when to retry.
     *   DEADLINE_EXCEEDED  UPLOAD_IDLE (above); or the caller's own deadline.
     *                      QUOTA_EXCEEDED: the tenant's quota (bytes or attachments) has no
     *                      room for the file; deleting attachments makes room. Metadata: limit,
     *                      actual (what the upload would bring usage to), unit ("bytes" or
     *                      "attachments").
     *                      STORAGE_FULL: the server's storage cap is reached, or its disk is
     *                      down to the free-space reserve (or a write found it full); with
     *                      RetryInfo. Metadata: limit, actual, unit ("bytes"), scope ("cap" or
     *                      "disk"). Nothing is kept.
     *   CANCELLED / DEADLINE_EXCEEDED  the caller went away; nothing is kept.
     *   INTERNAL           a server fault, with a generic message (the details are logged).
     * </pre>
     */
    default io.grpc.stub.StreamObserver<dev.mediagate.v1.UploadRequest> upload(
        io.grpc.stub.StreamObserver<dev.mediagate.v1.Attachment> responseObserver) {
      return io.grpc.stub.ServerCalls.asyncUnimplementedStreamingCall(getUploadMethod(), responseObserver);
    }

    /**
     * <pre>
     * The same intake and checks as Upload; nothing is stored. A refused file is an answer
     * (accepted = false, every reason found, the facts learned), not an error.
     * Errors: INVALID_ARGUMENT for protocol misuse (as Upload), RESOURCE_EXHAUSTED OVERLOADED,
     * or STORAGE_FULL (scope "disk") when free disk space is down to the reserve: the stream is
     * spooled to disk while it is checked. No quota applies.
     * </pre>
     */
    default io.grpc.stub.StreamObserver<dev.mediagate.v1.UploadRequest> validate(
        io.grpc.stub.StreamObserver<dev.mediagate.v1.Verdict> responseObserver) {
      return io.grpc.stub.ServerCalls.asyncUnimplementedStreamingCall(getValidateMethod(), responseObserver);
    }

    /**
     * <pre>
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND ATTACHMENT_NOT_FOUND.
     * </pre>
     */
    default void getAttachment(dev.mediagate.v1.GetAttachmentRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.Attachment> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetAttachmentMethod(), responseObserver);
    }

    /**
     * <pre>
     * Newest first. A page may hold fewer than page_size rows: it also ends before the response
     * would pass the server's message size limit (about 60 rows that carry the most labels
     * allowed). Keep paging until next_page_token is empty; no row is skipped or repeated.
     * Errors: INVALID_ARGUMENT INVALID_PAGE_TOKEN, INVALID_PAGE_SIZE.
     * </pre>
     */
    default void listAttachments(dev.mediagate.v1.ListAttachmentsRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.ListAttachmentsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListAttachmentsMethod(), responseObserver);
    }

    /**
     * <pre>
     * Deletes at once; the bytes go when no other attachment shares them. Works on a full disk
     * (the server keeps space aside for it), and frees the tenant's quota.
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND ATTACHMENT_NOT_FOUND.
     * </pre>
     */
    default void deleteAttachment(dev.mediagate.v1.DeleteAttachmentRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.DeleteAttachmentResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getDeleteAttachmentMethod(), responseObserver);
    }

    /**
     * <pre>
     * Streams the stored bytes back (ByteStream-style), in chunks of at most 256 KiB. The first
     * response also carries the Attachment.
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND ATTACHMENT_NOT_FOUND;
     *         OUT_OF_RANGE INVALID_READ_RANGE (read_offset past the end; negative values are
     *         INVALID_ARGUMENT); DEADLINE_EXCEEDED DOWNLOAD_STALLED when the reader takes no
     *         message for 30 s (a server setting).
     * </pre>
     */
    default void download(dev.mediagate.v1.DownloadRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.DownloadResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getDownloadMethod(), responseObserver);
    }

    /**
     * <pre>
     * Every policy profile with its limits and accepted types, and the chunk sizes, so a caller
     * can check a file before it sends it. Never fails.
     * </pre>
     */
    default void listProfiles(dev.mediagate.v1.ListProfilesRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.ListProfilesResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListProfilesMethod(), responseObserver);
    }

    /**
     * <pre>
     * A preview of an attachment: images (JPEG, PNG, GIF, WebP; the first frame of an
     * animation) and PDF pages. Defaults: a 300 x 300 box, WebP, quality 80, the first page.
     * Previews are cached by the source's sha256 and the spec; concurrent requests for the same
     * preview render it once. A profile may render some eagerly after upload.
     * A preview is at most 1 MiB (size_bytes; the server's MEDIAGATE_PREVIEW_MAX_BYTES), so that
     * it fits one message. Any spec within the limits gets one: when the asked encoding would be
     * larger (a large box over a detailed photo or page, a PNG of a photo), WebP and JPEG are
     * encoded at the highest quality that fits, down to 50, and then any format at a smaller
     * size. The answer's width, height and spec.quality say what was made.
     * Errors:
     *   INVALID_ARGUMENT    INVALID_NAME; INVALID_PREVIEW_SPEC (metadata: field).
     *   NOT_FOUND           ATTACHMENT_NOT_FOUND.
     *   FAILED_PRECONDITION PREVIEW_UNSUPPORTED (no renderer for the type, e.g. DOCX);
     *                       PREVIEW_FAILED (the source cannot be rendered: password-protected,
     *                       damaged, over the pixel cap, or past the render time limit; or,
     *                       kind too_large, no encoding fits the size limit, which only a
     *                       server configured with a limit of a few hundred bytes reaches;
     *                       metadata: kind).
     *   OUT_OF_RANGE        PAGE_OUT_OF_RANGE (metadata: limit = page count, actual = page).
     *   RESOURCE_EXHAUSTED  OVERLOADED: every render worker is busy and the queue is full;
     *                       google.rpc.RetryInfo says when to retry.
     *   UNAVAILABLE         WORKER_LOST: the render worker died; it has been replaced and a retry
     *                       may succeed.
     * </pre>
     */
    default void getPreview(dev.mediagate.v1.GetPreviewRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.Preview> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetPreviewMethod(), responseObserver);
    }

    /**
     * <pre>
     * Streams a voice message in: the same header-then-chunks stream as Upload, under the
     * "voice" profile unless the header names another. The duration is measured from the stream
     * and judged against the profile (TOO_LONG / TOO_SHORT carry the measured duration and the
     * limit); a header that claims one duration while the stream holds another is judged by the
     * stream; silence only is EMPTY. The answer carries the waveform, the playback rendition
     * (made once per distinct recording and settings, stored as an attachment of its own) and a
     * transcript: the caller's if given, else the configured speech-to-text engine's, else the
     * profile's placeholder.
     * Idempotency: as Upload, within voice messages; a key first used with Upload is
     * ALREADY_EXISTS IDEMPOTENCY_KEY_REUSED.
     * Storage limits as Upload; the rendition is an attachment of its own, so a voice message
     * counts twice against the attachment quota and its rendition's size against the byte quota.
     * Errors: as Upload (INVALID_ARGUMENT with RejectionReason ErrorInfo, or protocol reasons;
     * ALREADY_EXISTS IDEMPOTENCY_KEY_REUSED; RESOURCE_EXHAUSTED OVERLOADED, QUOTA_EXCEEDED,
     * STORAGE_FULL).
     * </pre>
     */
    default io.grpc.stub.StreamObserver<dev.mediagate.v1.UploadVoiceMessageRequest> uploadVoiceMessage(
        io.grpc.stub.StreamObserver<dev.mediagate.v1.VoiceMessage> responseObserver) {
      return io.grpc.stub.ServerCalls.asyncUnimplementedStreamingCall(getUploadVoiceMessageMethod(), responseObserver);
    }

    /**
     * <pre>
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND ATTACHMENT_NOT_FOUND, or
     * NOT_A_VOICE_MESSAGE for an attachment that was not uploaded as a voice message.
     * </pre>
     */
    default void getVoiceMessage(dev.mediagate.v1.GetVoiceMessageRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.VoiceMessage> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetVoiceMessageMethod(), responseObserver);
    }

    /**
     * <pre>
     * A URL on mediagate's HTTP media endpoint that serves the attachment, one of its previews
     * or its voice rendition to anyone who holds it until it expires: plain GET and HEAD (a
     * single Range is honoured), the detected Content-Type, the exact Content-Length, ETag = the
     * sha256, Cache-Control: no-store. It is signed with HMAC-SHA256 over the methods, the path,
     * the expiry and the key id; the server verifies with every configured key and signs with
     * one, so keys rotate without breaking URLs already handed out. A tampered, expired or
     * unknown-key URL answers 403 and says no more; once the attachment is deleted or expires,
     * its URLs answer 404.
     * Errors: INVALID_ARGUMENT INVALID_NAME, INVALID_PREVIEW_SPEC; NOT_FOUND
     * ATTACHMENT_NOT_FOUND, NOT_A_VOICE_MESSAGE; and a preview's errors (as GetPreview) when the
     * target is a preview that cannot be made.
     * </pre>
     */
    default void createSignedUrl(dev.mediagate.v1.CreateSignedUrlRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.SignedUrl> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCreateSignedUrlMethod(), responseObserver);
    }

    /**
     * <pre>
     * Starts delivering an attachment into a Genesys Cloud conversation and answers at once with
     * the Delivery (PENDING, or further along for a repeated key); GetDelivery or WatchDelivery
     * follow it to DELIVERED or FAILED.
     * Exactly once: the same idempotency_key (per tenant) returns the same Delivery and sends
     * nothing more. A platform call that may have gone through (a timeout, a 5xx) is never just
     * repeated: mediagate first reads back what the conversation already holds. Platform calls
     * log in again after a 401, wait as Retry-After says after a 429, and back off on 5xx and
     * timeouts, within a bounded budget (then FAILED RETRIES_EXHAUSTED).
     * Deleting the attachment later does not remove what the platform already holds; a delivery
     * not yet DELIVERED fails with ATTACHMENT_DELETED.
     * Errors: INVALID_ARGUMENT INVALID_NAME, INVALID_DELIVERY_REQUEST (metadata: field);
     * NOT_FOUND ATTACHMENT_NOT_FOUND; FAILED_PRECONDITION DELIVERY_NOT_CONFIGURED (the server
     * has no Genesys Cloud settings; metadata: missing).
     * </pre>
     */
    default void deliverAttachment(dev.mediagate.v1.DeliverAttachmentRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.Delivery> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getDeliverAttachmentMethod(), responseObserver);
    }

    /**
     * <pre>
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND DELIVERY_NOT_FOUND.
     * </pre>
     */
    default void getDelivery(dev.mediagate.v1.GetDeliveryRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.Delivery> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetDeliveryMethod(), responseObserver);
    }

    /**
     * <pre>
     * The deliveries of one attachment or one conversation, newest first.
     * Errors: INVALID_ARGUMENT INVALID_DELIVERY_REQUEST (not exactly one filter),
     * INVALID_PAGE_TOKEN, INVALID_PAGE_SIZE.
     * </pre>
     */
    default void listDeliveries(dev.mediagate.v1.ListDeliveriesRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.ListDeliveriesResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListDeliveriesMethod(), responseObserver);
    }

    /**
     * <pre>
     * Stops a delivery that is not final: it ends CANCELLED and makes no further platform call.
     * What the platform already holds stays there.
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND DELIVERY_NOT_FOUND; FAILED_PRECONDITION
     * DELIVERY_FINISHED (already DELIVERED, FAILED or CANCELLED).
     * </pre>
     */
    default void cancelDelivery(dev.mediagate.v1.CancelDeliveryRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.Delivery> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCancelDeliveryMethod(), responseObserver);
    }

    /**
     * <pre>
     * The delivery as it is now, then again each time its state changes, ending after a final
     * state (DELIVERED, FAILED, CANCELLED). A watcher that falls behind skips to the newest
     * state; it never sees states out of order. The platform is checked with backoff (first
     * after about 1 s, doubling, at most 5 s apart), however many watch.
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND DELIVERY_NOT_FOUND.
     * </pre>
     */
    default void watchDelivery(dev.mediagate.v1.WatchDeliveryRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.Delivery> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getWatchDeliveryMethod(), responseObserver);
    }

    /**
     * <pre>
     * Takes a file in from a URL: fetches it and streams the response through the very intake,
     * inspection and policy of Upload (or UploadVoiceMessage, with voice_message), with the same
     * answer: the Attachment, or a rejection with its reasons. The profile's size limit applies
     * while bytes arrive, whatever Content-Length says; nothing is held whole in memory.
     * The fetcher is a security boundary (server-side request forgery): https only unless
     * allowed; only hosts on the allow-list (Genesys Cloud's media hosts by default); every
     * address the host resolves to is checked (loopback, private, link-local, CGNAT, multicast,
     * unspecified, IPv4-mapped IPv6 and cloud metadata addresses are refused unless allowed) and
     * the connection goes to the address that was checked; at most 3 redirects, each checked
     * again; the bearer token goes to the URL's own origin only.
     * A 429 (after its Retry-After), a 5xx, a reset connection or a timeout is retried with
     * backoff within a bounded budget; a retry that would read a different version (ETag) fails
     * instead of stitching two. Every call is recorded as an Import (ListImports).
     * Errors: as Upload (INVALID_ARGUMENT for the header's fields, a rejection with its reasons,
     * IDEMPOTENCY_KEY_REUSED, RESOURCE_EXHAUSTED ...); INVALID_ARGUMENT URL_NOT_ALLOWED
     * (metadata: url, why); FAILED_PRECONDITION FETCH_FAILED (metadata: url, status);
     * DEADLINE_EXCEEDED FETCH_TIMEOUT (metadata: url, phase, limit).
     * </pre>
     */
    default void importFromUrl(dev.mediagate.v1.ImportFromUrlRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.Attachment> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getImportFromUrlMethod(), responseObserver);
    }

    /**
     * <pre>
     * What arrived from URLs (ImportFromUrl, conversation events, Open Messaging webhooks), from
     * which conversation, and its outcome; newest first.
     * Errors: INVALID_ARGUMENT INVALID_PAGE_TOKEN, INVALID_PAGE_SIZE.
     * </pre>
     */
    default void listImports(dev.mediagate.v1.ListImportsRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.ListImportsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListImportsMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service AttachmentService.
   * <pre>
   * AttachmentService takes in files guests send in web messaging, decides from the bytes what
   * they are and whether policy accepts them, keeps the accepted ones, and serves them back.
   * Every error carries a google.rpc.Status with a google.rpc.ErrorInfo (domain "mediagate.v1")
   * whose reason is a RejectionReason or ErrorReason value name without its prefix. Any RPC may
   * also answer INTERNAL for a server fault: its message is generic (no exception names, paths or
   * file contents reach a caller) and carries no ErrorInfo; the details are in the server's log.
   * Every read or delete is scoped to the caller's tenant: another tenant's attachment is
   * NOT_FOUND, never PERMISSION_DENIED.
   * Field behaviour (AIP-203) is marked on every field: REQUIRED where the server refuses a
   * request without the field (an empty name is INVALID_NAME); OUTPUT_ONLY on what only the server
   * writes (every field of a message that travels only in responses, and an Attachment's measured
   * facts); IMMUTABLE on what a caller chose when uploading an attachment; OPTIONAL elsewhere.
   * </pre>
   */
  public static abstract class AttachmentServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return AttachmentServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service AttachmentService.
   * <pre>
   * AttachmentService takes in files guests send in web messaging, decides from the bytes what
   * they are and whether policy accepts them, keeps the accepted ones, and serves them back.
   * Every error carries a google.rpc.Status with a google.rpc.ErrorInfo (domain "mediagate.v1")
   * whose reason is a RejectionReason or ErrorReason value name without its prefix. Any RPC may
   * also answer INTERNAL for a server fault: its message is generic (no exception names, paths or
   * file contents reach a caller) and carries no ErrorInfo; the details are in the server's log.
   * Every read or delete is scoped to the caller's tenant: another tenant's attachment is
   * NOT_FOUND, never PERMISSION_DENIED.
   * Field behaviour (AIP-203) is marked on every field: REQUIRED where the server refuses a
   * request without the field (an empty name is INVALID_NAME); OUTPUT_ONLY on what only the server
   * writes (every field of a message that travels only in responses, and an Attachment's measured
   * facts); IMMUTABLE on what a caller chose when uploading an attachment; OPTIONAL elsewhere.
   * </pre>
   */
  public static final class AttachmentServiceStub
      extends io.grpc.stub.AbstractAsyncStub<AttachmentServiceStub> {
    private AttachmentServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AttachmentServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AttachmentServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Streams a file in and stores it if the profile accepts it.
     * The first message carries `header`; every later one a `chunk` of at most
     * max_chunk_size_bytes (1 MiB); recommended_chunk_size_bytes (also 1 MiB) is the measured best
     * (bench/upload_throughput.py). Memory per upload stays at about two chunks.
     * The bytes are hashed and spooled as they arrive and never held whole in memory; the server
     * stops reading as soon as the bytes decide the answer (declared size over the limit before
     * any chunk, received bytes over the limit, a type the profile refuses in the first 64 KiB,
     * a declared size or received bytes that the quota or the server's storage has no room for).
     * Storage limits: a tenant's quota counts its attachments' sizes (identical files count each
     * time) and their number; the server's storage cap counts the bytes it holds (identical files
     * once); and uploads stop while free disk space is down to the reserve kept for reads and
     * deletes. Uploads racing for the last bytes of a quota are decided when each commits:
     * those that fit are kept, the others refused.
     * Idempotency: an idempotency_key (per tenant) names one upload. A retry with the same bytes
     * returns the first attachment and stores nothing (with the header's sha256 it is answered
     * before any chunk is read). The same key with other bytes, or first used with
     * UploadVoiceMessage, is ALREADY_EXISTS IDEMPOTENCY_KEY_REUSED, never another file. Uses of
     * one key at once are served one after the other. An upload whose caller goes away before it
     * is committed is not kept; one committed in that instant is kept only if it has a key (the
     * retry gets it). Identical bytes are stored once; each upload still gets its own Attachment.
     * Admission: an upload is admitted before any byte is read. Each connection and each caller
     * may have a bounded number in flight (RESOURCE_EXHAUSTED TOO_MANY_UPLOADS with RetryInfo);
     * server-wide, an upload over the limit waits briefly for a slot, then is refused the same
     * way. After the first 16 chunks, chunks must average at least 4 KiB (CHUNK_TOO_SMALL), and
     * an upload that sends nothing for 30 s is ended (DEADLINE_EXCEEDED UPLOAD_IDLE); both are
     * server settings.
     * Errors:
     *   INVALID_ARGUMENT   a RejectionReason (the file is refused; nothing is kept), or
     *                      MISSING_HEADER, DUPLICATE_HEADER, CHUNK_TOO_LARGE, CHUNK_TOO_SMALL,
     *                      INVALID_HEADER, UNKNOWN_PROFILE, EMPTY_STREAM.
     *   ALREADY_EXISTS     IDEMPOTENCY_KEY_REUSED (above).
     *   RESOURCE_EXHAUSTED OVERLOADED: every inspection worker is busy; TOO_MANY_UPLOADS
     *                      (above); google.rpc.RetryInfo says when to retry.
     *   DEADLINE_EXCEEDED  UPLOAD_IDLE (above); or the caller's own deadline.
     *                      QUOTA_EXCEEDED: the tenant's quota (bytes or attachments) has no
     *                      room for the file; deleting attachments makes room. Metadata: limit,
     *                      actual (what the upload would bring usage to), unit ("bytes" or
     *                      "attachments").
     *                      STORAGE_FULL: the server's storage cap is reached, or its disk is
     *                      down to the free-space reserve (or a write found it full); with
     *                      RetryInfo. Metadata: limit, actual, unit ("bytes"), scope ("cap" or
     *                      "disk"). Nothing is kept.
     *   CANCELLED / DEADLINE_EXCEEDED  the caller went away; nothing is kept.
     *   INTERNAL           a server fault, with a generic message (the details are logged).
     * </pre>
     */
    public io.grpc.stub.StreamObserver<dev.mediagate.v1.UploadRequest> upload(
        io.grpc.stub.StreamObserver<dev.mediagate.v1.Attachment> responseObserver) {
      return io.grpc.stub.ClientCalls.asyncClientStreamingCall(
          getChannel().newCall(getUploadMethod(), getCallOptions()), responseObserver);
    }

    /**
     * <pre>
     * The same intake and checks as Upload; nothing is stored. A refused file is an answer
     * (accepted = false, every reason found, the facts learned), not an error.
     * Errors: INVALID_ARGUMENT for protocol misuse (as Upload), RESOURCE_EXHAUSTED OVERLOADED,
     * or STORAGE_FULL (scope "disk") when free disk space is down to the reserve: the stream is
     * spooled to disk while it is checked. No quota applies.
     * </pre>
     */
    public io.grpc.stub.StreamObserver<dev.mediagate.v1.UploadRequest> validate(
        io.grpc.stub.StreamObserver<dev.mediagate.v1.Verdict> responseObserver) {
      return io.grpc.stub.ClientCalls.asyncClientStreamingCall(
          getChannel().newCall(getValidateMethod(), getCallOptions()), responseObserver);
    }

    /**
     * <pre>
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND ATTACHMENT_NOT_FOUND.
     * </pre>
     */
    public void getAttachment(dev.mediagate.v1.GetAttachmentRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.Attachment> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetAttachmentMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Newest first. A page may hold fewer than page_size rows: it also ends before the response
     * would pass the server's message size limit (about 60 rows that carry the most labels
     * allowed). Keep paging until next_page_token is empty; no row is skipped or repeated.
     * Errors: INVALID_ARGUMENT INVALID_PAGE_TOKEN, INVALID_PAGE_SIZE.
     * </pre>
     */
    public void listAttachments(dev.mediagate.v1.ListAttachmentsRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.ListAttachmentsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListAttachmentsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Deletes at once; the bytes go when no other attachment shares them. Works on a full disk
     * (the server keeps space aside for it), and frees the tenant's quota.
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND ATTACHMENT_NOT_FOUND.
     * </pre>
     */
    public void deleteAttachment(dev.mediagate.v1.DeleteAttachmentRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.DeleteAttachmentResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getDeleteAttachmentMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Streams the stored bytes back (ByteStream-style), in chunks of at most 256 KiB. The first
     * response also carries the Attachment.
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND ATTACHMENT_NOT_FOUND;
     *         OUT_OF_RANGE INVALID_READ_RANGE (read_offset past the end; negative values are
     *         INVALID_ARGUMENT); DEADLINE_EXCEEDED DOWNLOAD_STALLED when the reader takes no
     *         message for 30 s (a server setting).
     * </pre>
     */
    public void download(dev.mediagate.v1.DownloadRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.DownloadResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncServerStreamingCall(
          getChannel().newCall(getDownloadMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Every policy profile with its limits and accepted types, and the chunk sizes, so a caller
     * can check a file before it sends it. Never fails.
     * </pre>
     */
    public void listProfiles(dev.mediagate.v1.ListProfilesRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.ListProfilesResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListProfilesMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * A preview of an attachment: images (JPEG, PNG, GIF, WebP; the first frame of an
     * animation) and PDF pages. Defaults: a 300 x 300 box, WebP, quality 80, the first page.
     * Previews are cached by the source's sha256 and the spec; concurrent requests for the same
     * preview render it once. A profile may render some eagerly after upload.
     * A preview is at most 1 MiB (size_bytes; the server's MEDIAGATE_PREVIEW_MAX_BYTES), so that
     * it fits one message. Any spec within the limits gets one: when the asked encoding would be
     * larger (a large box over a detailed photo or page, a PNG of a photo), WebP and JPEG are
     * encoded at the highest quality that fits, down to 50, and then any format at a smaller
     * size. The answer's width, height and spec.quality say what was made.
     * Errors:
     *   INVALID_ARGUMENT    INVALID_NAME; INVALID_PREVIEW_SPEC (metadata: field).
     *   NOT_FOUND           ATTACHMENT_NOT_FOUND.
     *   FAILED_PRECONDITION PREVIEW_UNSUPPORTED (no renderer for the type, e.g. DOCX);
     *                       PREVIEW_FAILED (the source cannot be rendered: password-protected,
     *                       damaged, over the pixel cap, or past the render time limit; or,
     *                       kind too_large, no encoding fits the size limit, which only a
     *                       server configured with a limit of a few hundred bytes reaches;
     *                       metadata: kind).
     *   OUT_OF_RANGE        PAGE_OUT_OF_RANGE (metadata: limit = page count, actual = page).
     *   RESOURCE_EXHAUSTED  OVERLOADED: every render worker is busy and the queue is full;
     *                       google.rpc.RetryInfo says when to retry.
     *   UNAVAILABLE         WORKER_LOST: the render worker died; it has been replaced and a retry
     *                       may succeed.
     * </pre>
     */
    public void getPreview(dev.mediagate.v1.GetPreviewRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.Preview> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetPreviewMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Streams a voice message in: the same header-then-chunks stream as Upload, under the
     * "voice" profile unless the header names another. The duration is measured from the stream
     * and judged against the profile (TOO_LONG / TOO_SHORT carry the measured duration and the
     * limit); a header that claims one duration while the stream holds another is judged by the
     * stream; silence only is EMPTY. The answer carries the waveform, the playback rendition
     * (made once per distinct recording and settings, stored as an attachment of its own) and a
     * transcript: the caller's if given, else the configured speech-to-text engine's, else the
     * profile's placeholder.
     * Idempotency: as Upload, within voice messages; a key first used with Upload is
     * ALREADY_EXISTS IDEMPOTENCY_KEY_REUSED.
     * Storage limits as Upload; the rendition is an attachment of its own, so a voice message
     * counts twice against the attachment quota and its rendition's size against the byte quota.
     * Errors: as Upload (INVALID_ARGUMENT with RejectionReason ErrorInfo, or protocol reasons;
     * ALREADY_EXISTS IDEMPOTENCY_KEY_REUSED; RESOURCE_EXHAUSTED OVERLOADED, QUOTA_EXCEEDED,
     * STORAGE_FULL).
     * </pre>
     */
    public io.grpc.stub.StreamObserver<dev.mediagate.v1.UploadVoiceMessageRequest> uploadVoiceMessage(
        io.grpc.stub.StreamObserver<dev.mediagate.v1.VoiceMessage> responseObserver) {
      return io.grpc.stub.ClientCalls.asyncClientStreamingCall(
          getChannel().newCall(getUploadVoiceMessageMethod(), getCallOptions()), responseObserver);
    }

    /**
     * <pre>
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND ATTACHMENT_NOT_FOUND, or
     * NOT_A_VOICE_MESSAGE for an attachment that was not uploaded as a voice message.
     * </pre>
     */
    public void getVoiceMessage(dev.mediagate.v1.GetVoiceMessageRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.VoiceMessage> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetVoiceMessageMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * A URL on mediagate's HTTP media endpoint that serves the attachment, one of its previews
     * or its voice rendition to anyone who holds it until it expires: plain GET and HEAD (a
     * single Range is honoured), the detected Content-Type, the exact Content-Length, ETag = the
     * sha256, Cache-Control: no-store. It is signed with HMAC-SHA256 over the methods, the path,
     * the expiry and the key id; the server verifies with every configured key and signs with
     * one, so keys rotate without breaking URLs already handed out. A tampered, expired or
     * unknown-key URL answers 403 and says no more; once the attachment is deleted or expires,
     * its URLs answer 404.
     * Errors: INVALID_ARGUMENT INVALID_NAME, INVALID_PREVIEW_SPEC; NOT_FOUND
     * ATTACHMENT_NOT_FOUND, NOT_A_VOICE_MESSAGE; and a preview's errors (as GetPreview) when the
     * target is a preview that cannot be made.
     * </pre>
     */
    public void createSignedUrl(dev.mediagate.v1.CreateSignedUrlRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.SignedUrl> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCreateSignedUrlMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Starts delivering an attachment into a Genesys Cloud conversation and answers at once with
     * the Delivery (PENDING, or further along for a repeated key); GetDelivery or WatchDelivery
     * follow it to DELIVERED or FAILED.
     * Exactly once: the same idempotency_key (per tenant) returns the same Delivery and sends
     * nothing more. A platform call that may have gone through (a timeout, a 5xx) is never just
     * repeated: mediagate first reads back what the conversation already holds. Platform calls
     * log in again after a 401, wait as Retry-After says after a 429, and back off on 5xx and
     * timeouts, within a bounded budget (then FAILED RETRIES_EXHAUSTED).
     * Deleting the attachment later does not remove what the platform already holds; a delivery
     * not yet DELIVERED fails with ATTACHMENT_DELETED.
     * Errors: INVALID_ARGUMENT INVALID_NAME, INVALID_DELIVERY_REQUEST (metadata: field);
     * NOT_FOUND ATTACHMENT_NOT_FOUND; FAILED_PRECONDITION DELIVERY_NOT_CONFIGURED (the server
     * has no Genesys Cloud settings; metadata: missing).
     * </pre>
     */
    public void deliverAttachment(dev.mediagate.v1.DeliverAttachmentRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.Delivery> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getDeliverAttachmentMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND DELIVERY_NOT_FOUND.
     * </pre>
     */
    public void getDelivery(dev.mediagate.v1.GetDeliveryRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.Delivery> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetDeliveryMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * The deliveries of one attachment or one conversation, newest first.
     * Errors: INVALID_ARGUMENT INVALID_DELIVERY_REQUEST (not exactly one filter),
     * INVALID_PAGE_TOKEN, INVALID_PAGE_SIZE.
     * </pre>
     */
    public void listDeliveries(dev.mediagate.v1.ListDeliveriesRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.ListDeliveriesResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListDeliveriesMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Stops a delivery that is not final: it ends CANCELLED and makes no further platform call.
     * What the platform already holds stays there.
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND DELIVERY_NOT_FOUND; FAILED_PRECONDITION
     * DELIVERY_FINISHED (already DELIVERED, FAILED or CANCELLED).
     * </pre>
     */
    public void cancelDelivery(dev.mediagate.v1.CancelDeliveryRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.Delivery> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCancelDeliveryMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * The delivery as it is now, then again each time its state changes, ending after a final
     * state (DELIVERED, FAILED, CANCELLED). A watcher that falls behind skips to the newest
     * state; it never sees states out of order. The platform is checked with backoff (first
     * after about 1 s, doubling, at most 5 s apart), however many watch.
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND DELIVERY_NOT_FOUND.
     * </pre>
     */
    public void watchDelivery(dev.mediagate.v1.WatchDeliveryRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.Delivery> responseObserver) {
      io.grpc.stub.ClientCalls.asyncServerStreamingCall(
          getChannel().newCall(getWatchDeliveryMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Takes a file in from a URL: fetches it and streams the response through the very intake,
     * inspection and policy of Upload (or UploadVoiceMessage, with voice_message), with the same
     * answer: the Attachment, or a rejection with its reasons. The profile's size limit applies
     * while bytes arrive, whatever Content-Length says; nothing is held whole in memory.
     * The fetcher is a security boundary (server-side request forgery): https only unless
     * allowed; only hosts on the allow-list (Genesys Cloud's media hosts by default); every
     * address the host resolves to is checked (loopback, private, link-local, CGNAT, multicast,
     * unspecified, IPv4-mapped IPv6 and cloud metadata addresses are refused unless allowed) and
     * the connection goes to the address that was checked; at most 3 redirects, each checked
     * again; the bearer token goes to the URL's own origin only.
     * A 429 (after its Retry-After), a 5xx, a reset connection or a timeout is retried with
     * backoff within a bounded budget; a retry that would read a different version (ETag) fails
     * instead of stitching two. Every call is recorded as an Import (ListImports).
     * Errors: as Upload (INVALID_ARGUMENT for the header's fields, a rejection with its reasons,
     * IDEMPOTENCY_KEY_REUSED, RESOURCE_EXHAUSTED ...); INVALID_ARGUMENT URL_NOT_ALLOWED
     * (metadata: url, why); FAILED_PRECONDITION FETCH_FAILED (metadata: url, status);
     * DEADLINE_EXCEEDED FETCH_TIMEOUT (metadata: url, phase, limit).
     * </pre>
     */
    public void importFromUrl(dev.mediagate.v1.ImportFromUrlRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.Attachment> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getImportFromUrlMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * What arrived from URLs (ImportFromUrl, conversation events, Open Messaging webhooks), from
     * which conversation, and its outcome; newest first.
     * Errors: INVALID_ARGUMENT INVALID_PAGE_TOKEN, INVALID_PAGE_SIZE.
     * </pre>
     */
    public void listImports(dev.mediagate.v1.ListImportsRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.ListImportsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListImportsMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service AttachmentService.
   * <pre>
   * AttachmentService takes in files guests send in web messaging, decides from the bytes what
   * they are and whether policy accepts them, keeps the accepted ones, and serves them back.
   * Every error carries a google.rpc.Status with a google.rpc.ErrorInfo (domain "mediagate.v1")
   * whose reason is a RejectionReason or ErrorReason value name without its prefix. Any RPC may
   * also answer INTERNAL for a server fault: its message is generic (no exception names, paths or
   * file contents reach a caller) and carries no ErrorInfo; the details are in the server's log.
   * Every read or delete is scoped to the caller's tenant: another tenant's attachment is
   * NOT_FOUND, never PERMISSION_DENIED.
   * Field behaviour (AIP-203) is marked on every field: REQUIRED where the server refuses a
   * request without the field (an empty name is INVALID_NAME); OUTPUT_ONLY on what only the server
   * writes (every field of a message that travels only in responses, and an Attachment's measured
   * facts); IMMUTABLE on what a caller chose when uploading an attachment; OPTIONAL elsewhere.
   * </pre>
   */
  public static final class AttachmentServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<AttachmentServiceBlockingV2Stub> {
    private AttachmentServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AttachmentServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AttachmentServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Streams a file in and stores it if the profile accepts it.
     * The first message carries `header`; every later one a `chunk` of at most
     * max_chunk_size_bytes (1 MiB); recommended_chunk_size_bytes (also 1 MiB) is the measured best
     * (bench/upload_throughput.py). Memory per upload stays at about two chunks.
     * The bytes are hashed and spooled as they arrive and never held whole in memory; the server
     * stops reading as soon as the bytes decide the answer (declared size over the limit before
     * any chunk, received bytes over the limit, a type the profile refuses in the first 64 KiB,
     * a declared size or received bytes that the quota or the server's storage has no room for).
     * Storage limits: a tenant's quota counts its attachments' sizes (identical files count each
     * time) and their number; the server's storage cap counts the bytes it holds (identical files
     * once); and uploads stop while free disk space is down to the reserve kept for reads and
     * deletes. Uploads racing for the last bytes of a quota are decided when each commits:
     * those that fit are kept, the others refused.
     * Idempotency: an idempotency_key (per tenant) names one upload. A retry with the same bytes
     * returns the first attachment and stores nothing (with the header's sha256 it is answered
     * before any chunk is read). The same key with other bytes, or first used with
     * UploadVoiceMessage, is ALREADY_EXISTS IDEMPOTENCY_KEY_REUSED, never another file. Uses of
     * one key at once are served one after the other. An upload whose caller goes away before it
     * is committed is not kept; one committed in that instant is kept only if it has a key (the
     * retry gets it). Identical bytes are stored once; each upload still gets its own Attachment.
     * Admission: an upload is admitted before any byte is read. Each connection and each caller
     * may have a bounded number in flight (RESOURCE_EXHAUSTED TOO_MANY_UPLOADS with RetryInfo);
     * server-wide, an upload over the limit waits briefly for a slot, then is refused the same
     * way. After the first 16 chunks, chunks must average at least 4 KiB (CHUNK_TOO_SMALL), and
     * an upload that sends nothing for 30 s is ended (DEADLINE_EXCEEDED UPLOAD_IDLE); both are
     * server settings.
     * Errors:
     *   INVALID_ARGUMENT   a RejectionReason (the file is refused; nothing is kept), or
     *                      MISSING_HEADER, DUPLICATE_HEADER, CHUNK_TOO_LARGE, CHUNK_TOO_SMALL,
     *                      INVALID_HEADER, UNKNOWN_PROFILE, EMPTY_STREAM.
     *   ALREADY_EXISTS     IDEMPOTENCY_KEY_REUSED (above).
     *   RESOURCE_EXHAUSTED OVERLOADED: every inspection worker is busy; TOO_MANY_UPLOADS
     *                      (above); google.rpc.RetryInfo says when to retry.
     *   DEADLINE_EXCEEDED  UPLOAD_IDLE (above); or the caller's own deadline.
     *                      QUOTA_EXCEEDED: the tenant's quota (bytes or attachments) has no
     *                      room for the file; deleting attachments makes room. Metadata: limit,
     *                      actual (what the upload would bring usage to), unit ("bytes" or
     *                      "attachments").
     *                      STORAGE_FULL: the server's storage cap is reached, or its disk is
     *                      down to the free-space reserve (or a write found it full); with
     *                      RetryInfo. Metadata: limit, actual, unit ("bytes"), scope ("cap" or
     *                      "disk"). Nothing is kept.
     *   CANCELLED / DEADLINE_EXCEEDED  the caller went away; nothing is kept.
     *   INTERNAL           a server fault, with a generic message (the details are logged).
     * </pre>
     */
    @io.grpc.ExperimentalApi("https://github.com/grpc/grpc-java/issues/10918")
    public io.grpc.stub.BlockingClientCall<dev.mediagate.v1.UploadRequest, dev.mediagate.v1.Attachment>
        upload() {
      return io.grpc.stub.ClientCalls.blockingClientStreamingCall(
          getChannel(), getUploadMethod(), getCallOptions());
    }

    /**
     * <pre>
     * The same intake and checks as Upload; nothing is stored. A refused file is an answer
     * (accepted = false, every reason found, the facts learned), not an error.
     * Errors: INVALID_ARGUMENT for protocol misuse (as Upload), RESOURCE_EXHAUSTED OVERLOADED,
     * or STORAGE_FULL (scope "disk") when free disk space is down to the reserve: the stream is
     * spooled to disk while it is checked. No quota applies.
     * </pre>
     */
    @io.grpc.ExperimentalApi("https://github.com/grpc/grpc-java/issues/10918")
    public io.grpc.stub.BlockingClientCall<dev.mediagate.v1.UploadRequest, dev.mediagate.v1.Verdict>
        validate() {
      return io.grpc.stub.ClientCalls.blockingClientStreamingCall(
          getChannel(), getValidateMethod(), getCallOptions());
    }

    /**
     * <pre>
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND ATTACHMENT_NOT_FOUND.
     * </pre>
     */
    public dev.mediagate.v1.Attachment getAttachment(dev.mediagate.v1.GetAttachmentRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetAttachmentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Newest first. A page may hold fewer than page_size rows: it also ends before the response
     * would pass the server's message size limit (about 60 rows that carry the most labels
     * allowed). Keep paging until next_page_token is empty; no row is skipped or repeated.
     * Errors: INVALID_ARGUMENT INVALID_PAGE_TOKEN, INVALID_PAGE_SIZE.
     * </pre>
     */
    public dev.mediagate.v1.ListAttachmentsResponse listAttachments(dev.mediagate.v1.ListAttachmentsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListAttachmentsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Deletes at once; the bytes go when no other attachment shares them. Works on a full disk
     * (the server keeps space aside for it), and frees the tenant's quota.
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND ATTACHMENT_NOT_FOUND.
     * </pre>
     */
    public dev.mediagate.v1.DeleteAttachmentResponse deleteAttachment(dev.mediagate.v1.DeleteAttachmentRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getDeleteAttachmentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Streams the stored bytes back (ByteStream-style), in chunks of at most 256 KiB. The first
     * response also carries the Attachment.
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND ATTACHMENT_NOT_FOUND;
     *         OUT_OF_RANGE INVALID_READ_RANGE (read_offset past the end; negative values are
     *         INVALID_ARGUMENT); DEADLINE_EXCEEDED DOWNLOAD_STALLED when the reader takes no
     *         message for 30 s (a server setting).
     * </pre>
     */
    @io.grpc.ExperimentalApi("https://github.com/grpc/grpc-java/issues/10918")
    public io.grpc.stub.BlockingClientCall<?, dev.mediagate.v1.DownloadResponse>
        download(dev.mediagate.v1.DownloadRequest request) {
      return io.grpc.stub.ClientCalls.blockingV2ServerStreamingCall(
          getChannel(), getDownloadMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Every policy profile with its limits and accepted types, and the chunk sizes, so a caller
     * can check a file before it sends it. Never fails.
     * </pre>
     */
    public dev.mediagate.v1.ListProfilesResponse listProfiles(dev.mediagate.v1.ListProfilesRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListProfilesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * A preview of an attachment: images (JPEG, PNG, GIF, WebP; the first frame of an
     * animation) and PDF pages. Defaults: a 300 x 300 box, WebP, quality 80, the first page.
     * Previews are cached by the source's sha256 and the spec; concurrent requests for the same
     * preview render it once. A profile may render some eagerly after upload.
     * A preview is at most 1 MiB (size_bytes; the server's MEDIAGATE_PREVIEW_MAX_BYTES), so that
     * it fits one message. Any spec within the limits gets one: when the asked encoding would be
     * larger (a large box over a detailed photo or page, a PNG of a photo), WebP and JPEG are
     * encoded at the highest quality that fits, down to 50, and then any format at a smaller
     * size. The answer's width, height and spec.quality say what was made.
     * Errors:
     *   INVALID_ARGUMENT    INVALID_NAME; INVALID_PREVIEW_SPEC (metadata: field).
     *   NOT_FOUND           ATTACHMENT_NOT_FOUND.
     *   FAILED_PRECONDITION PREVIEW_UNSUPPORTED (no renderer for the type, e.g. DOCX);
     *                       PREVIEW_FAILED (the source cannot be rendered: password-protected,
     *                       damaged, over the pixel cap, or past the render time limit; or,
     *                       kind too_large, no encoding fits the size limit, which only a
     *                       server configured with a limit of a few hundred bytes reaches;
     *                       metadata: kind).
     *   OUT_OF_RANGE        PAGE_OUT_OF_RANGE (metadata: limit = page count, actual = page).
     *   RESOURCE_EXHAUSTED  OVERLOADED: every render worker is busy and the queue is full;
     *                       google.rpc.RetryInfo says when to retry.
     *   UNAVAILABLE         WORKER_LOST: the render worker died; it has been replaced and a retry
     *                       may succeed.
     * </pre>
     */
    public dev.mediagate.v1.Preview getPreview(dev.mediagate.v1.GetPreviewRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetPreviewMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Streams a voice message in: the same header-then-chunks stream as Upload, under the
     * "voice" profile unless the header names another. The duration is measured from the stream
     * and judged against the profile (TOO_LONG / TOO_SHORT carry the measured duration and the
     * limit); a header that claims one duration while the stream holds another is judged by the
     * stream; silence only is EMPTY. The answer carries the waveform, the playback rendition
     * (made once per distinct recording and settings, stored as an attachment of its own) and a
     * transcript: the caller's if given, else the configured speech-to-text engine's, else the
     * profile's placeholder.
     * Idempotency: as Upload, within voice messages; a key first used with Upload is
     * ALREADY_EXISTS IDEMPOTENCY_KEY_REUSED.
     * Storage limits as Upload; the rendition is an attachment of its own, so a voice message
     * counts twice against the attachment quota and its rendition's size against the byte quota.
     * Errors: as Upload (INVALID_ARGUMENT with RejectionReason ErrorInfo, or protocol reasons;
     * ALREADY_EXISTS IDEMPOTENCY_KEY_REUSED; RESOURCE_EXHAUSTED OVERLOADED, QUOTA_EXCEEDED,
     * STORAGE_FULL).
     * </pre>
     */
    @io.grpc.ExperimentalApi("https://github.com/grpc/grpc-java/issues/10918")
    public io.grpc.stub.BlockingClientCall<dev.mediagate.v1.UploadVoiceMessageRequest, dev.mediagate.v1.VoiceMessage>
        uploadVoiceMessage() {
      return io.grpc.stub.ClientCalls.blockingClientStreamingCall(
          getChannel(), getUploadVoiceMessageMethod(), getCallOptions());
    }

    /**
     * <pre>
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND ATTACHMENT_NOT_FOUND, or
     * NOT_A_VOICE_MESSAGE for an attachment that was not uploaded as a voice message.
     * </pre>
     */
    public dev.mediagate.v1.VoiceMessage getVoiceMessage(dev.mediagate.v1.GetVoiceMessageRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetVoiceMessageMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * A URL on mediagate's HTTP media endpoint that serves the attachment, one of its previews
     * or its voice rendition to anyone who holds it until it expires: plain GET and HEAD (a
     * single Range is honoured), the detected Content-Type, the exact Content-Length, ETag = the
     * sha256, Cache-Control: no-store. It is signed with HMAC-SHA256 over the methods, the path,
     * the expiry and the key id; the server verifies with every configured key and signs with
     * one, so keys rotate without breaking URLs already handed out. A tampered, expired or
     * unknown-key URL answers 403 and says no more; once the attachment is deleted or expires,
     * its URLs answer 404.
     * Errors: INVALID_ARGUMENT INVALID_NAME, INVALID_PREVIEW_SPEC; NOT_FOUND
     * ATTACHMENT_NOT_FOUND, NOT_A_VOICE_MESSAGE; and a preview's errors (as GetPreview) when the
     * target is a preview that cannot be made.
     * </pre>
     */
    public dev.mediagate.v1.SignedUrl createSignedUrl(dev.mediagate.v1.CreateSignedUrlRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getCreateSignedUrlMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Starts delivering an attachment into a Genesys Cloud conversation and answers at once with
     * the Delivery (PENDING, or further along for a repeated key); GetDelivery or WatchDelivery
     * follow it to DELIVERED or FAILED.
     * Exactly once: the same idempotency_key (per tenant) returns the same Delivery and sends
     * nothing more. A platform call that may have gone through (a timeout, a 5xx) is never just
     * repeated: mediagate first reads back what the conversation already holds. Platform calls
     * log in again after a 401, wait as Retry-After says after a 429, and back off on 5xx and
     * timeouts, within a bounded budget (then FAILED RETRIES_EXHAUSTED).
     * Deleting the attachment later does not remove what the platform already holds; a delivery
     * not yet DELIVERED fails with ATTACHMENT_DELETED.
     * Errors: INVALID_ARGUMENT INVALID_NAME, INVALID_DELIVERY_REQUEST (metadata: field);
     * NOT_FOUND ATTACHMENT_NOT_FOUND; FAILED_PRECONDITION DELIVERY_NOT_CONFIGURED (the server
     * has no Genesys Cloud settings; metadata: missing).
     * </pre>
     */
    public dev.mediagate.v1.Delivery deliverAttachment(dev.mediagate.v1.DeliverAttachmentRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getDeliverAttachmentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND DELIVERY_NOT_FOUND.
     * </pre>
     */
    public dev.mediagate.v1.Delivery getDelivery(dev.mediagate.v1.GetDeliveryRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetDeliveryMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * The deliveries of one attachment or one conversation, newest first.
     * Errors: INVALID_ARGUMENT INVALID_DELIVERY_REQUEST (not exactly one filter),
     * INVALID_PAGE_TOKEN, INVALID_PAGE_SIZE.
     * </pre>
     */
    public dev.mediagate.v1.ListDeliveriesResponse listDeliveries(dev.mediagate.v1.ListDeliveriesRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListDeliveriesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Stops a delivery that is not final: it ends CANCELLED and makes no further platform call.
     * What the platform already holds stays there.
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND DELIVERY_NOT_FOUND; FAILED_PRECONDITION
     * DELIVERY_FINISHED (already DELIVERED, FAILED or CANCELLED).
     * </pre>
     */
    public dev.mediagate.v1.Delivery cancelDelivery(dev.mediagate.v1.CancelDeliveryRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getCancelDeliveryMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * The delivery as it is now, then again each time its state changes, ending after a final
     * state (DELIVERED, FAILED, CANCELLED). A watcher that falls behind skips to the newest
     * state; it never sees states out of order. The platform is checked with backoff (first
     * after about 1 s, doubling, at most 5 s apart), however many watch.
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND DELIVERY_NOT_FOUND.
     * </pre>
     */
    @io.grpc.ExperimentalApi("https://github.com/grpc/grpc-java/issues/10918")
    public io.grpc.stub.BlockingClientCall<?, dev.mediagate.v1.Delivery>
        watchDelivery(dev.mediagate.v1.WatchDeliveryRequest request) {
      return io.grpc.stub.ClientCalls.blockingV2ServerStreamingCall(
          getChannel(), getWatchDeliveryMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Takes a file in from a URL: fetches it and streams the response through the very intake,
     * inspection and policy of Upload (or UploadVoiceMessage, with voice_message), with the same
     * answer: the Attachment, or a rejection with its reasons. The profile's size limit applies
     * while bytes arrive, whatever Content-Length says; nothing is held whole in memory.
     * The fetcher is a security boundary (server-side request forgery): https only unless
     * allowed; only hosts on the allow-list (Genesys Cloud's media hosts by default); every
     * address the host resolves to is checked (loopback, private, link-local, CGNAT, multicast,
     * unspecified, IPv4-mapped IPv6 and cloud metadata addresses are refused unless allowed) and
     * the connection goes to the address that was checked; at most 3 redirects, each checked
     * again; the bearer token goes to the URL's own origin only.
     * A 429 (after its Retry-After), a 5xx, a reset connection or a timeout is retried with
     * backoff within a bounded budget; a retry that would read a different version (ETag) fails
     * instead of stitching two. Every call is recorded as an Import (ListImports).
     * Errors: as Upload (INVALID_ARGUMENT for the header's fields, a rejection with its reasons,
     * IDEMPOTENCY_KEY_REUSED, RESOURCE_EXHAUSTED ...); INVALID_ARGUMENT URL_NOT_ALLOWED
     * (metadata: url, why); FAILED_PRECONDITION FETCH_FAILED (metadata: url, status);
     * DEADLINE_EXCEEDED FETCH_TIMEOUT (metadata: url, phase, limit).
     * </pre>
     */
    public dev.mediagate.v1.Attachment importFromUrl(dev.mediagate.v1.ImportFromUrlRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getImportFromUrlMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * What arrived from URLs (ImportFromUrl, conversation events, Open Messaging webhooks), from
     * which conversation, and its outcome; newest first.
     * Errors: INVALID_ARGUMENT INVALID_PAGE_TOKEN, INVALID_PAGE_SIZE.
     * </pre>
     */
    public dev.mediagate.v1.ListImportsResponse listImports(dev.mediagate.v1.ListImportsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListImportsMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service AttachmentService.
   * <pre>
   * AttachmentService takes in files guests send in web messaging, decides from the bytes what
   * they are and whether policy accepts them, keeps the accepted ones, and serves them back.
   * Every error carries a google.rpc.Status with a google.rpc.ErrorInfo (domain "mediagate.v1")
   * whose reason is a RejectionReason or ErrorReason value name without its prefix. Any RPC may
   * also answer INTERNAL for a server fault: its message is generic (no exception names, paths or
   * file contents reach a caller) and carries no ErrorInfo; the details are in the server's log.
   * Every read or delete is scoped to the caller's tenant: another tenant's attachment is
   * NOT_FOUND, never PERMISSION_DENIED.
   * Field behaviour (AIP-203) is marked on every field: REQUIRED where the server refuses a
   * request without the field (an empty name is INVALID_NAME); OUTPUT_ONLY on what only the server
   * writes (every field of a message that travels only in responses, and an Attachment's measured
   * facts); IMMUTABLE on what a caller chose when uploading an attachment; OPTIONAL elsewhere.
   * </pre>
   */
  public static final class AttachmentServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<AttachmentServiceBlockingStub> {
    private AttachmentServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AttachmentServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AttachmentServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND ATTACHMENT_NOT_FOUND.
     * </pre>
     */
    public dev.mediagate.v1.Attachment getAttachment(dev.mediagate.v1.GetAttachmentRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetAttachmentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Newest first. A page may hold fewer than page_size rows: it also ends before the response
     * would pass the server's message size limit (about 60 rows that carry the most labels
     * allowed). Keep paging until next_page_token is empty; no row is skipped or repeated.
     * Errors: INVALID_ARGUMENT INVALID_PAGE_TOKEN, INVALID_PAGE_SIZE.
     * </pre>
     */
    public dev.mediagate.v1.ListAttachmentsResponse listAttachments(dev.mediagate.v1.ListAttachmentsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListAttachmentsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Deletes at once; the bytes go when no other attachment shares them. Works on a full disk
     * (the server keeps space aside for it), and frees the tenant's quota.
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND ATTACHMENT_NOT_FOUND.
     * </pre>
     */
    public dev.mediagate.v1.DeleteAttachmentResponse deleteAttachment(dev.mediagate.v1.DeleteAttachmentRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getDeleteAttachmentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Streams the stored bytes back (ByteStream-style), in chunks of at most 256 KiB. The first
     * response also carries the Attachment.
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND ATTACHMENT_NOT_FOUND;
     *         OUT_OF_RANGE INVALID_READ_RANGE (read_offset past the end; negative values are
     *         INVALID_ARGUMENT); DEADLINE_EXCEEDED DOWNLOAD_STALLED when the reader takes no
     *         message for 30 s (a server setting).
     * </pre>
     */
    public java.util.Iterator<dev.mediagate.v1.DownloadResponse> download(
        dev.mediagate.v1.DownloadRequest request) {
      return io.grpc.stub.ClientCalls.blockingServerStreamingCall(
          getChannel(), getDownloadMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Every policy profile with its limits and accepted types, and the chunk sizes, so a caller
     * can check a file before it sends it. Never fails.
     * </pre>
     */
    public dev.mediagate.v1.ListProfilesResponse listProfiles(dev.mediagate.v1.ListProfilesRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListProfilesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * A preview of an attachment: images (JPEG, PNG, GIF, WebP; the first frame of an
     * animation) and PDF pages. Defaults: a 300 x 300 box, WebP, quality 80, the first page.
     * Previews are cached by the source's sha256 and the spec; concurrent requests for the same
     * preview render it once. A profile may render some eagerly after upload.
     * A preview is at most 1 MiB (size_bytes; the server's MEDIAGATE_PREVIEW_MAX_BYTES), so that
     * it fits one message. Any spec within the limits gets one: when the asked encoding would be
     * larger (a large box over a detailed photo or page, a PNG of a photo), WebP and JPEG are
     * encoded at the highest quality that fits, down to 50, and then any format at a smaller
     * size. The answer's width, height and spec.quality say what was made.
     * Errors:
     *   INVALID_ARGUMENT    INVALID_NAME; INVALID_PREVIEW_SPEC (metadata: field).
     *   NOT_FOUND           ATTACHMENT_NOT_FOUND.
     *   FAILED_PRECONDITION PREVIEW_UNSUPPORTED (no renderer for the type, e.g. DOCX);
     *                       PREVIEW_FAILED (the source cannot be rendered: password-protected,
     *                       damaged, over the pixel cap, or past the render time limit; or,
     *                       kind too_large, no encoding fits the size limit, which only a
     *                       server configured with a limit of a few hundred bytes reaches;
     *                       metadata: kind).
     *   OUT_OF_RANGE        PAGE_OUT_OF_RANGE (metadata: limit = page count, actual = page).
     *   RESOURCE_EXHAUSTED  OVERLOADED: every render worker is busy and the queue is full;
     *                       google.rpc.RetryInfo says when to retry.
     *   UNAVAILABLE         WORKER_LOST: the render worker died; it has been replaced and a retry
     *                       may succeed.
     * </pre>
     */
    public dev.mediagate.v1.Preview getPreview(dev.mediagate.v1.GetPreviewRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetPreviewMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND ATTACHMENT_NOT_FOUND, or
     * NOT_A_VOICE_MESSAGE for an attachment that was not uploaded as a voice message.
     * </pre>
     */
    public dev.mediagate.v1.VoiceMessage getVoiceMessage(dev.mediagate.v1.GetVoiceMessageRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetVoiceMessageMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * A URL on mediagate's HTTP media endpoint that serves the attachment, one of its previews
     * or its voice rendition to anyone who holds it until it expires: plain GET and HEAD (a
     * single Range is honoured), the detected Content-Type, the exact Content-Length, ETag = the
     * sha256, Cache-Control: no-store. It is signed with HMAC-SHA256 over the methods, the path,
     * the expiry and the key id; the server verifies with every configured key and signs with
     * one, so keys rotate without breaking URLs already handed out. A tampered, expired or
     * unknown-key URL answers 403 and says no more; once the attachment is deleted or expires,
     * its URLs answer 404.
     * Errors: INVALID_ARGUMENT INVALID_NAME, INVALID_PREVIEW_SPEC; NOT_FOUND
     * ATTACHMENT_NOT_FOUND, NOT_A_VOICE_MESSAGE; and a preview's errors (as GetPreview) when the
     * target is a preview that cannot be made.
     * </pre>
     */
    public dev.mediagate.v1.SignedUrl createSignedUrl(dev.mediagate.v1.CreateSignedUrlRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCreateSignedUrlMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Starts delivering an attachment into a Genesys Cloud conversation and answers at once with
     * the Delivery (PENDING, or further along for a repeated key); GetDelivery or WatchDelivery
     * follow it to DELIVERED or FAILED.
     * Exactly once: the same idempotency_key (per tenant) returns the same Delivery and sends
     * nothing more. A platform call that may have gone through (a timeout, a 5xx) is never just
     * repeated: mediagate first reads back what the conversation already holds. Platform calls
     * log in again after a 401, wait as Retry-After says after a 429, and back off on 5xx and
     * timeouts, within a bounded budget (then FAILED RETRIES_EXHAUSTED).
     * Deleting the attachment later does not remove what the platform already holds; a delivery
     * not yet DELIVERED fails with ATTACHMENT_DELETED.
     * Errors: INVALID_ARGUMENT INVALID_NAME, INVALID_DELIVERY_REQUEST (metadata: field);
     * NOT_FOUND ATTACHMENT_NOT_FOUND; FAILED_PRECONDITION DELIVERY_NOT_CONFIGURED (the server
     * has no Genesys Cloud settings; metadata: missing).
     * </pre>
     */
    public dev.mediagate.v1.Delivery deliverAttachment(dev.mediagate.v1.DeliverAttachmentRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getDeliverAttachmentMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND DELIVERY_NOT_FOUND.
     * </pre>
     */
    public dev.mediagate.v1.Delivery getDelivery(dev.mediagate.v1.GetDeliveryRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetDeliveryMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * The deliveries of one attachment or one conversation, newest first.
     * Errors: INVALID_ARGUMENT INVALID_DELIVERY_REQUEST (not exactly one filter),
     * INVALID_PAGE_TOKEN, INVALID_PAGE_SIZE.
     * </pre>
     */
    public dev.mediagate.v1.ListDeliveriesResponse listDeliveries(dev.mediagate.v1.ListDeliveriesRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListDeliveriesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Stops a delivery that is not final: it ends CANCELLED and makes no further platform call.
     * What the platform already holds stays there.
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND DELIVERY_NOT_FOUND; FAILED_PRECONDITION
     * DELIVERY_FINISHED (already DELIVERED, FAILED or CANCELLED).
     * </pre>
     */
    public dev.mediagate.v1.Delivery cancelDelivery(dev.mediagate.v1.CancelDeliveryRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCancelDeliveryMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * The delivery as it is now, then again each time its state changes, ending after a final
     * state (DELIVERED, FAILED, CANCELLED). A watcher that falls behind skips to the newest
     * state; it never sees states out of order. The platform is checked with backoff (first
     * after about 1 s, doubling, at most 5 s apart), however many watch.
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND DELIVERY_NOT_FOUND.
     * </pre>
     */
    public java.util.Iterator<dev.mediagate.v1.Delivery> watchDelivery(
        dev.mediagate.v1.WatchDeliveryRequest request) {
      return io.grpc.stub.ClientCalls.blockingServerStreamingCall(
          getChannel(), getWatchDeliveryMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Takes a file in from a URL: fetches it and streams the response through the very intake,
     * inspection and policy of Upload (or UploadVoiceMessage, with voice_message), with the same
     * answer: the Attachment, or a rejection with its reasons. The profile's size limit applies
     * while bytes arrive, whatever Content-Length says; nothing is held whole in memory.
     * The fetcher is a security boundary (server-side request forgery): https only unless
     * allowed; only hosts on the allow-list (Genesys Cloud's media hosts by default); every
     * address the host resolves to is checked (loopback, private, link-local, CGNAT, multicast,
     * unspecified, IPv4-mapped IPv6 and cloud metadata addresses are refused unless allowed) and
     * the connection goes to the address that was checked; at most 3 redirects, each checked
     * again; the bearer token goes to the URL's own origin only.
     * A 429 (after its Retry-After), a 5xx, a reset connection or a timeout is retried with
     * backoff within a bounded budget; a retry that would read a different version (ETag) fails
     * instead of stitching two. Every call is recorded as an Import (ListImports).
     * Errors: as Upload (INVALID_ARGUMENT for the header's fields, a rejection with its reasons,
     * IDEMPOTENCY_KEY_REUSED, RESOURCE_EXHAUSTED ...); INVALID_ARGUMENT URL_NOT_ALLOWED
     * (metadata: url, why); FAILED_PRECONDITION FETCH_FAILED (metadata: url, status);
     * DEADLINE_EXCEEDED FETCH_TIMEOUT (metadata: url, phase, limit).
     * </pre>
     */
    public dev.mediagate.v1.Attachment importFromUrl(dev.mediagate.v1.ImportFromUrlRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getImportFromUrlMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * What arrived from URLs (ImportFromUrl, conversation events, Open Messaging webhooks), from
     * which conversation, and its outcome; newest first.
     * Errors: INVALID_ARGUMENT INVALID_PAGE_TOKEN, INVALID_PAGE_SIZE.
     * </pre>
     */
    public dev.mediagate.v1.ListImportsResponse listImports(dev.mediagate.v1.ListImportsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListImportsMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service AttachmentService.
   * <pre>
   * AttachmentService takes in files guests send in web messaging, decides from the bytes what
   * they are and whether policy accepts them, keeps the accepted ones, and serves them back.
   * Every error carries a google.rpc.Status with a google.rpc.ErrorInfo (domain "mediagate.v1")
   * whose reason is a RejectionReason or ErrorReason value name without its prefix. Any RPC may
   * also answer INTERNAL for a server fault: its message is generic (no exception names, paths or
   * file contents reach a caller) and carries no ErrorInfo; the details are in the server's log.
   * Every read or delete is scoped to the caller's tenant: another tenant's attachment is
   * NOT_FOUND, never PERMISSION_DENIED.
   * Field behaviour (AIP-203) is marked on every field: REQUIRED where the server refuses a
   * request without the field (an empty name is INVALID_NAME); OUTPUT_ONLY on what only the server
   * writes (every field of a message that travels only in responses, and an Attachment's measured
   * facts); IMMUTABLE on what a caller chose when uploading an attachment; OPTIONAL elsewhere.
   * </pre>
   */
  public static final class AttachmentServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<AttachmentServiceFutureStub> {
    private AttachmentServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AttachmentServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AttachmentServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND ATTACHMENT_NOT_FOUND.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.mediagate.v1.Attachment> getAttachment(
        dev.mediagate.v1.GetAttachmentRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetAttachmentMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Newest first. A page may hold fewer than page_size rows: it also ends before the response
     * would pass the server's message size limit (about 60 rows that carry the most labels
     * allowed). Keep paging until next_page_token is empty; no row is skipped or repeated.
     * Errors: INVALID_ARGUMENT INVALID_PAGE_TOKEN, INVALID_PAGE_SIZE.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.mediagate.v1.ListAttachmentsResponse> listAttachments(
        dev.mediagate.v1.ListAttachmentsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListAttachmentsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Deletes at once; the bytes go when no other attachment shares them. Works on a full disk
     * (the server keeps space aside for it), and frees the tenant's quota.
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND ATTACHMENT_NOT_FOUND.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.mediagate.v1.DeleteAttachmentResponse> deleteAttachment(
        dev.mediagate.v1.DeleteAttachmentRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getDeleteAttachmentMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Every policy profile with its limits and accepted types, and the chunk sizes, so a caller
     * can check a file before it sends it. Never fails.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.mediagate.v1.ListProfilesResponse> listProfiles(
        dev.mediagate.v1.ListProfilesRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListProfilesMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * A preview of an attachment: images (JPEG, PNG, GIF, WebP; the first frame of an
     * animation) and PDF pages. Defaults: a 300 x 300 box, WebP, quality 80, the first page.
     * Previews are cached by the source's sha256 and the spec; concurrent requests for the same
     * preview render it once. A profile may render some eagerly after upload.
     * A preview is at most 1 MiB (size_bytes; the server's MEDIAGATE_PREVIEW_MAX_BYTES), so that
     * it fits one message. Any spec within the limits gets one: when the asked encoding would be
     * larger (a large box over a detailed photo or page, a PNG of a photo), WebP and JPEG are
     * encoded at the highest quality that fits, down to 50, and then any format at a smaller
     * size. The answer's width, height and spec.quality say what was made.
     * Errors:
     *   INVALID_ARGUMENT    INVALID_NAME; INVALID_PREVIEW_SPEC (metadata: field).
     *   NOT_FOUND           ATTACHMENT_NOT_FOUND.
     *   FAILED_PRECONDITION PREVIEW_UNSUPPORTED (no renderer for the type, e.g. DOCX);
     *                       PREVIEW_FAILED (the source cannot be rendered: password-protected,
     *                       damaged, over the pixel cap, or past the render time limit; or,
     *                       kind too_large, no encoding fits the size limit, which only a
     *                       server configured with a limit of a few hundred bytes reaches;
     *                       metadata: kind).
     *   OUT_OF_RANGE        PAGE_OUT_OF_RANGE (metadata: limit = page count, actual = page).
     *   RESOURCE_EXHAUSTED  OVERLOADED: every render worker is busy and the queue is full;
     *                       google.rpc.RetryInfo says when to retry.
     *   UNAVAILABLE         WORKER_LOST: the render worker died; it has been replaced and a retry
     *                       may succeed.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.mediagate.v1.Preview> getPreview(
        dev.mediagate.v1.GetPreviewRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetPreviewMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND ATTACHMENT_NOT_FOUND, or
     * NOT_A_VOICE_MESSAGE for an attachment that was not uploaded as a voice message.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.mediagate.v1.VoiceMessage> getVoiceMessage(
        dev.mediagate.v1.GetVoiceMessageRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetVoiceMessageMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * A URL on mediagate's HTTP media endpoint that serves the attachment, one of its previews
     * or its voice rendition to anyone who holds it until it expires: plain GET and HEAD (a
     * single Range is honoured), the detected Content-Type, the exact Content-Length, ETag = the
     * sha256, Cache-Control: no-store. It is signed with HMAC-SHA256 over the methods, the path,
     * the expiry and the key id; the server verifies with every configured key and signs with
     * one, so keys rotate without breaking URLs already handed out. A tampered, expired or
     * unknown-key URL answers 403 and says no more; once the attachment is deleted or expires,
     * its URLs answer 404.
     * Errors: INVALID_ARGUMENT INVALID_NAME, INVALID_PREVIEW_SPEC; NOT_FOUND
     * ATTACHMENT_NOT_FOUND, NOT_A_VOICE_MESSAGE; and a preview's errors (as GetPreview) when the
     * target is a preview that cannot be made.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.mediagate.v1.SignedUrl> createSignedUrl(
        dev.mediagate.v1.CreateSignedUrlRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCreateSignedUrlMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Starts delivering an attachment into a Genesys Cloud conversation and answers at once with
     * the Delivery (PENDING, or further along for a repeated key); GetDelivery or WatchDelivery
     * follow it to DELIVERED or FAILED.
     * Exactly once: the same idempotency_key (per tenant) returns the same Delivery and sends
     * nothing more. A platform call that may have gone through (a timeout, a 5xx) is never just
     * repeated: mediagate first reads back what the conversation already holds. Platform calls
     * log in again after a 401, wait as Retry-After says after a 429, and back off on 5xx and
     * timeouts, within a bounded budget (then FAILED RETRIES_EXHAUSTED).
     * Deleting the attachment later does not remove what the platform already holds; a delivery
     * not yet DELIVERED fails with ATTACHMENT_DELETED.
     * Errors: INVALID_ARGUMENT INVALID_NAME, INVALID_DELIVERY_REQUEST (metadata: field);
     * NOT_FOUND ATTACHMENT_NOT_FOUND; FAILED_PRECONDITION DELIVERY_NOT_CONFIGURED (the server
     * has no Genesys Cloud settings; metadata: missing).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.mediagate.v1.Delivery> deliverAttachment(
        dev.mediagate.v1.DeliverAttachmentRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getDeliverAttachmentMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND DELIVERY_NOT_FOUND.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.mediagate.v1.Delivery> getDelivery(
        dev.mediagate.v1.GetDeliveryRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetDeliveryMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * The deliveries of one attachment or one conversation, newest first.
     * Errors: INVALID_ARGUMENT INVALID_DELIVERY_REQUEST (not exactly one filter),
     * INVALID_PAGE_TOKEN, INVALID_PAGE_SIZE.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.mediagate.v1.ListDeliveriesResponse> listDeliveries(
        dev.mediagate.v1.ListDeliveriesRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListDeliveriesMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Stops a delivery that is not final: it ends CANCELLED and makes no further platform call.
     * What the platform already holds stays there.
     * Errors: INVALID_ARGUMENT INVALID_NAME; NOT_FOUND DELIVERY_NOT_FOUND; FAILED_PRECONDITION
     * DELIVERY_FINISHED (already DELIVERED, FAILED or CANCELLED).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.mediagate.v1.Delivery> cancelDelivery(
        dev.mediagate.v1.CancelDeliveryRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCancelDeliveryMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Takes a file in from a URL: fetches it and streams the response through the very intake,
     * inspection and policy of Upload (or UploadVoiceMessage, with voice_message), with the same
     * answer: the Attachment, or a rejection with its reasons. The profile's size limit applies
     * while bytes arrive, whatever Content-Length says; nothing is held whole in memory.
     * The fetcher is a security boundary (server-side request forgery): https only unless
     * allowed; only hosts on the allow-list (Genesys Cloud's media hosts by default); every
     * address the host resolves to is checked (loopback, private, link-local, CGNAT, multicast,
     * unspecified, IPv4-mapped IPv6 and cloud metadata addresses are refused unless allowed) and
     * the connection goes to the address that was checked; at most 3 redirects, each checked
     * again; the bearer token goes to the URL's own origin only.
     * A 429 (after its Retry-After), a 5xx, a reset connection or a timeout is retried with
     * backoff within a bounded budget; a retry that would read a different version (ETag) fails
     * instead of stitching two. Every call is recorded as an Import (ListImports).
     * Errors: as Upload (INVALID_ARGUMENT for the header's fields, a rejection with its reasons,
     * IDEMPOTENCY_KEY_REUSED, RESOURCE_EXHAUSTED ...); INVALID_ARGUMENT URL_NOT_ALLOWED
     * (metadata: url, why); FAILED_PRECONDITION FETCH_FAILED (metadata: url, status);
     * DEADLINE_EXCEEDED FETCH_TIMEOUT (metadata: url, phase, limit).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.mediagate.v1.Attachment> importFromUrl(
        dev.mediagate.v1.ImportFromUrlRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getImportFromUrlMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * What arrived from URLs (ImportFromUrl, conversation events, Open Messaging webhooks), from
     * which conversation, and its outcome; newest first.
     * Errors: INVALID_ARGUMENT INVALID_PAGE_TOKEN, INVALID_PAGE_SIZE.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.mediagate.v1.ListImportsResponse> listImports(
        dev.mediagate.v1.ListImportsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListImportsMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_GET_ATTACHMENT = 0;
  private static final int METHODID_LIST_ATTACHMENTS = 1;
  private static final int METHODID_DELETE_ATTACHMENT = 2;
  private static final int METHODID_DOWNLOAD = 3;
  private static final int METHODID_LIST_PROFILES = 4;
  private static final int METHODID_GET_PREVIEW = 5;
  private static final int METHODID_GET_VOICE_MESSAGE = 6;
  private static final int METHODID_CREATE_SIGNED_URL = 7;
  private static final int METHODID_DELIVER_ATTACHMENT = 8;
  private static final int METHODID_GET_DELIVERY = 9;
  private static final int METHODID_LIST_DELIVERIES = 10;
  private static final int METHODID_CANCEL_DELIVERY = 11;
  private static final int METHODID_WATCH_DELIVERY = 12;
  private static final int METHODID_IMPORT_FROM_URL = 13;
  private static final int METHODID_LIST_IMPORTS = 14;
  private static final int METHODID_UPLOAD = 15;
  private static final int METHODID_VALIDATE = 16;
  private static final int METHODID_UPLOAD_VOICE_MESSAGE = 17;

  private static final class MethodHandlers<Req, Resp> implements
      io.grpc.stub.ServerCalls.UnaryMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ServerStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ClientStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.BidiStreamingMethod<Req, Resp> {
    private final AsyncService serviceImpl;
    private final int methodId;

    MethodHandlers(AsyncService serviceImpl, int methodId) {
      this.serviceImpl = serviceImpl;
      this.methodId = methodId;
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public void invoke(Req request, io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_GET_ATTACHMENT:
          serviceImpl.getAttachment((dev.mediagate.v1.GetAttachmentRequest) request,
              (io.grpc.stub.StreamObserver<dev.mediagate.v1.Attachment>) responseObserver);
          break;
        case METHODID_LIST_ATTACHMENTS:
          serviceImpl.listAttachments((dev.mediagate.v1.ListAttachmentsRequest) request,
              (io.grpc.stub.StreamObserver<dev.mediagate.v1.ListAttachmentsResponse>) responseObserver);
          break;
        case METHODID_DELETE_ATTACHMENT:
          serviceImpl.deleteAttachment((dev.mediagate.v1.DeleteAttachmentRequest) request,
              (io.grpc.stub.StreamObserver<dev.mediagate.v1.DeleteAttachmentResponse>) responseObserver);
          break;
        case METHODID_DOWNLOAD:
          serviceImpl.download((dev.mediagate.v1.DownloadRequest) request,
              (io.grpc.stub.StreamObserver<dev.mediagate.v1.DownloadResponse>) responseObserver);
          break;
        case METHODID_LIST_PROFILES:
          serviceImpl.listProfiles((dev.mediagate.v1.ListProfilesRequest) request,
              (io.grpc.stub.StreamObserver<dev.mediagate.v1.ListProfilesResponse>) responseObserver);
          break;
        case METHODID_GET_PREVIEW:
          serviceImpl.getPreview((dev.mediagate.v1.GetPreviewRequest) request,
              (io.grpc.stub.StreamObserver<dev.mediagate.v1.Preview>) responseObserver);
          break;
        case METHODID_GET_VOICE_MESSAGE:
          serviceImpl.getVoiceMessage((dev.mediagate.v1.GetVoiceMessageRequest) request,
              (io.grpc.stub.StreamObserver<dev.mediagate.v1.VoiceMessage>) responseObserver);
          break;
        case METHODID_CREATE_SIGNED_URL:
          serviceImpl.createSignedUrl((dev.mediagate.v1.CreateSignedUrlRequest) request,
              (io.grpc.stub.StreamObserver<dev.mediagate.v1.SignedUrl>) responseObserver);
          break;
        case METHODID_DELIVER_ATTACHMENT:
          serviceImpl.deliverAttachment((dev.mediagate.v1.DeliverAttachmentRequest) request,
              (io.grpc.stub.StreamObserver<dev.mediagate.v1.Delivery>) responseObserver);
          break;
        case METHODID_GET_DELIVERY:
          serviceImpl.getDelivery((dev.mediagate.v1.GetDeliveryRequest) request,
              (io.grpc.stub.StreamObserver<dev.mediagate.v1.Delivery>) responseObserver);
          break;
        case METHODID_LIST_DELIVERIES:
          serviceImpl.listDeliveries((dev.mediagate.v1.ListDeliveriesRequest) request,
              (io.grpc.stub.StreamObserver<dev.mediagate.v1.ListDeliveriesResponse>) responseObserver);
          break;
        case METHODID_CANCEL_DELIVERY:
          serviceImpl.cancelDelivery((dev.mediagate.v1.CancelDeliveryRequest) request,
              (io.grpc.stub.StreamObserver<dev.mediagate.v1.Delivery>) responseObserver);
          break;
        case METHODID_WATCH_DELIVERY:
          serviceImpl.watchDelivery((dev.mediagate.v1.WatchDeliveryRequest) request,
              (io.grpc.stub.StreamObserver<dev.mediagate.v1.Delivery>) responseObserver);
          break;
        case METHODID_IMPORT_FROM_URL:
          serviceImpl.importFromUrl((dev.mediagate.v1.ImportFromUrlRequest) request,
              (io.grpc.stub.StreamObserver<dev.mediagate.v1.Attachment>) responseObserver);
          break;
        case METHODID_LIST_IMPORTS:
          serviceImpl.listImports((dev.mediagate.v1.ListImportsRequest) request,
              (io.grpc.stub.StreamObserver<dev.mediagate.v1.ListImportsResponse>) responseObserver);
          break;
        default:
          throw new AssertionError();
      }
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public io.grpc.stub.StreamObserver<Req> invoke(
        io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_UPLOAD:
          return (io.grpc.stub.StreamObserver<Req>) serviceImpl.upload(
              (io.grpc.stub.StreamObserver<dev.mediagate.v1.Attachment>) responseObserver);
        case METHODID_VALIDATE:
          return (io.grpc.stub.StreamObserver<Req>) serviceImpl.validate(
              (io.grpc.stub.StreamObserver<dev.mediagate.v1.Verdict>) responseObserver);
        case METHODID_UPLOAD_VOICE_MESSAGE:
          return (io.grpc.stub.StreamObserver<Req>) serviceImpl.uploadVoiceMessage(
              (io.grpc.stub.StreamObserver<dev.mediagate.v1.VoiceMessage>) responseObserver);
        default:
          throw new AssertionError();
      }
    }
  }

  public static final io.grpc.ServerServiceDefinition bindService(AsyncService service) {
    return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
        .addMethod(
          getUploadMethod(),
          io.grpc.stub.ServerCalls.asyncClientStreamingCall(
            new MethodHandlers<
              dev.mediagate.v1.UploadRequest,
              dev.mediagate.v1.Attachment>(
                service, METHODID_UPLOAD)))
        .addMethod(
          getValidateMethod(),
          io.grpc.stub.ServerCalls.asyncClientStreamingCall(
            new MethodHandlers<
              dev.mediagate.v1.UploadRequest,
              dev.mediagate.v1.Verdict>(
                service, METHODID_VALIDATE)))
        .addMethod(
          getGetAttachmentMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.mediagate.v1.GetAttachmentRequest,
              dev.mediagate.v1.Attachment>(
                service, METHODID_GET_ATTACHMENT)))
        .addMethod(
          getListAttachmentsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.mediagate.v1.ListAttachmentsRequest,
              dev.mediagate.v1.ListAttachmentsResponse>(
                service, METHODID_LIST_ATTACHMENTS)))
        .addMethod(
          getDeleteAttachmentMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.mediagate.v1.DeleteAttachmentRequest,
              dev.mediagate.v1.DeleteAttachmentResponse>(
                service, METHODID_DELETE_ATTACHMENT)))
        .addMethod(
          getDownloadMethod(),
          io.grpc.stub.ServerCalls.asyncServerStreamingCall(
            new MethodHandlers<
              dev.mediagate.v1.DownloadRequest,
              dev.mediagate.v1.DownloadResponse>(
                service, METHODID_DOWNLOAD)))
        .addMethod(
          getListProfilesMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.mediagate.v1.ListProfilesRequest,
              dev.mediagate.v1.ListProfilesResponse>(
                service, METHODID_LIST_PROFILES)))
        .addMethod(
          getGetPreviewMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.mediagate.v1.GetPreviewRequest,
              dev.mediagate.v1.Preview>(
                service, METHODID_GET_PREVIEW)))
        .addMethod(
          getUploadVoiceMessageMethod(),
          io.grpc.stub.ServerCalls.asyncClientStreamingCall(
            new MethodHandlers<
              dev.mediagate.v1.UploadVoiceMessageRequest,
              dev.mediagate.v1.VoiceMessage>(
                service, METHODID_UPLOAD_VOICE_MESSAGE)))
        .addMethod(
          getGetVoiceMessageMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.mediagate.v1.GetVoiceMessageRequest,
              dev.mediagate.v1.VoiceMessage>(
                service, METHODID_GET_VOICE_MESSAGE)))
        .addMethod(
          getCreateSignedUrlMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.mediagate.v1.CreateSignedUrlRequest,
              dev.mediagate.v1.SignedUrl>(
                service, METHODID_CREATE_SIGNED_URL)))
        .addMethod(
          getDeliverAttachmentMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.mediagate.v1.DeliverAttachmentRequest,
              dev.mediagate.v1.Delivery>(
                service, METHODID_DELIVER_ATTACHMENT)))
        .addMethod(
          getGetDeliveryMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.mediagate.v1.GetDeliveryRequest,
              dev.mediagate.v1.Delivery>(
                service, METHODID_GET_DELIVERY)))
        .addMethod(
          getListDeliveriesMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.mediagate.v1.ListDeliveriesRequest,
              dev.mediagate.v1.ListDeliveriesResponse>(
                service, METHODID_LIST_DELIVERIES)))
        .addMethod(
          getCancelDeliveryMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.mediagate.v1.CancelDeliveryRequest,
              dev.mediagate.v1.Delivery>(
                service, METHODID_CANCEL_DELIVERY)))
        .addMethod(
          getWatchDeliveryMethod(),
          io.grpc.stub.ServerCalls.asyncServerStreamingCall(
            new MethodHandlers<
              dev.mediagate.v1.WatchDeliveryRequest,
              dev.mediagate.v1.Delivery>(
                service, METHODID_WATCH_DELIVERY)))
        .addMethod(
          getImportFromUrlMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.mediagate.v1.ImportFromUrlRequest,
              dev.mediagate.v1.Attachment>(
                service, METHODID_IMPORT_FROM_URL)))
        .addMethod(
          getListImportsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.mediagate.v1.ListImportsRequest,
              dev.mediagate.v1.ListImportsResponse>(
                service, METHODID_LIST_IMPORTS)))
        .build();
  }

  private static abstract class AttachmentServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    AttachmentServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.mediagate.v1.AttachmentServiceProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("AttachmentService");
    }
  }

  private static final class AttachmentServiceFileDescriptorSupplier
      extends AttachmentServiceBaseDescriptorSupplier {
    AttachmentServiceFileDescriptorSupplier() {}
  }

  private static final class AttachmentServiceMethodDescriptorSupplier
      extends AttachmentServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    AttachmentServiceMethodDescriptorSupplier(java.lang.String methodName) {
      this.methodName = methodName;
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.MethodDescriptor getMethodDescriptor() {
      return getServiceDescriptor().findMethodByName(methodName);
    }
  }

  private static volatile io.grpc.ServiceDescriptor serviceDescriptor;

  public static io.grpc.ServiceDescriptor getServiceDescriptor() {
    io.grpc.ServiceDescriptor result = serviceDescriptor;
    if (result == null) {
      synchronized (AttachmentServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new AttachmentServiceFileDescriptorSupplier())
              .addMethod(getUploadMethod())
              .addMethod(getValidateMethod())
              .addMethod(getGetAttachmentMethod())
              .addMethod(getListAttachmentsMethod())
              .addMethod(getDeleteAttachmentMethod())
              .addMethod(getDownloadMethod())
              .addMethod(getListProfilesMethod())
              .addMethod(getGetPreviewMethod())
              .addMethod(getUploadVoiceMessageMethod())
              .addMethod(getGetVoiceMessageMethod())
              .addMethod(getCreateSignedUrlMethod())
              .addMethod(getDeliverAttachmentMethod())
              .addMethod(getGetDeliveryMethod())
              .addMethod(getListDeliveriesMethod())
              .addMethod(getCancelDeliveryMethod())
              .addMethod(getWatchDeliveryMethod())
              .addMethod(getImportFromUrlMethod())
              .addMethod(getListImportsMethod())
              .build();
        }
      }
    }
    return result;
  }
}
