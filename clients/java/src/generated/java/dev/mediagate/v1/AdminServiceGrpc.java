package dev.mediagate.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * AdminService is for the server's operators: it acts on every tenant's storage at once. With
 * authentication on, every method needs a caller with the "admin" scope (PERMISSION_DENIED
 * otherwise). Errors carry an ErrorInfo as AttachmentService's do.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class AdminServiceGrpc {

  private AdminServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "mediagate.v1.AdminService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<dev.mediagate.v1.RunRetentionSweepRequest,
      dev.mediagate.v1.RunRetentionSweepResponse> getRunRetentionSweepMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "RunRetentionSweep",
      requestType = dev.mediagate.v1.RunRetentionSweepRequest.class,
      responseType = dev.mediagate.v1.RunRetentionSweepResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.mediagate.v1.RunRetentionSweepRequest,
      dev.mediagate.v1.RunRetentionSweepResponse> getRunRetentionSweepMethod() {
    io.grpc.MethodDescriptor<dev.mediagate.v1.RunRetentionSweepRequest, dev.mediagate.v1.RunRetentionSweepResponse> getRunRetentionSweepMethod;
    if ((getRunRetentionSweepMethod = AdminServiceGrpc.getRunRetentionSweepMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getRunRetentionSweepMethod = AdminServiceGrpc.getRunRetentionSweepMethod) == null) {
          AdminServiceGrpc.getRunRetentionSweepMethod = getRunRetentionSweepMethod =
              io.grpc.MethodDescriptor.<dev.mediagate.v1.RunRetentionSweepRequest, dev.mediagate.v1.RunRetentionSweepResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "RunRetentionSweep"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.RunRetentionSweepRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.RunRetentionSweepResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("RunRetentionSweep"))
              .build();
        }
      }
    }
    return getRunRetentionSweepMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.mediagate.v1.CleanOrphansRequest,
      dev.mediagate.v1.CleanOrphansResponse> getCleanOrphansMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CleanOrphans",
      requestType = dev.mediagate.v1.CleanOrphansRequest.class,
      responseType = dev.mediagate.v1.CleanOrphansResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.mediagate.v1.CleanOrphansRequest,
      dev.mediagate.v1.CleanOrphansResponse> getCleanOrphansMethod() {
    io.grpc.MethodDescriptor<dev.mediagate.v1.CleanOrphansRequest, dev.mediagate.v1.CleanOrphansResponse> getCleanOrphansMethod;
    if ((getCleanOrphansMethod = AdminServiceGrpc.getCleanOrphansMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getCleanOrphansMethod = AdminServiceGrpc.getCleanOrphansMethod) == null) {
          AdminServiceGrpc.getCleanOrphansMethod = getCleanOrphansMethod =
              io.grpc.MethodDescriptor.<dev.mediagate.v1.CleanOrphansRequest, dev.mediagate.v1.CleanOrphansResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CleanOrphans"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.CleanOrphansRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.CleanOrphansResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("CleanOrphans"))
              .build();
        }
      }
    }
    return getCleanOrphansMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.mediagate.v1.GetStorageReportRequest,
      dev.mediagate.v1.StorageReport> getGetStorageReportMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetStorageReport",
      requestType = dev.mediagate.v1.GetStorageReportRequest.class,
      responseType = dev.mediagate.v1.StorageReport.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.mediagate.v1.GetStorageReportRequest,
      dev.mediagate.v1.StorageReport> getGetStorageReportMethod() {
    io.grpc.MethodDescriptor<dev.mediagate.v1.GetStorageReportRequest, dev.mediagate.v1.StorageReport> getGetStorageReportMethod;
    if ((getGetStorageReportMethod = AdminServiceGrpc.getGetStorageReportMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getGetStorageReportMethod = AdminServiceGrpc.getGetStorageReportMethod) == null) {
          AdminServiceGrpc.getGetStorageReportMethod = getGetStorageReportMethod =
              io.grpc.MethodDescriptor.<dev.mediagate.v1.GetStorageReportRequest, dev.mediagate.v1.StorageReport>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetStorageReport"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.GetStorageReportRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.StorageReport.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("GetStorageReport"))
              .build();
        }
      }
    }
    return getGetStorageReportMethod;
  }

  private static volatile io.grpc.MethodDescriptor<dev.mediagate.v1.CheckProfilesRequest,
      dev.mediagate.v1.CheckProfilesResponse> getCheckProfilesMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CheckProfiles",
      requestType = dev.mediagate.v1.CheckProfilesRequest.class,
      responseType = dev.mediagate.v1.CheckProfilesResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<dev.mediagate.v1.CheckProfilesRequest,
      dev.mediagate.v1.CheckProfilesResponse> getCheckProfilesMethod() {
    io.grpc.MethodDescriptor<dev.mediagate.v1.CheckProfilesRequest, dev.mediagate.v1.CheckProfilesResponse> getCheckProfilesMethod;
    if ((getCheckProfilesMethod = AdminServiceGrpc.getCheckProfilesMethod) == null) {
      synchronized (AdminServiceGrpc.class) {
        if ((getCheckProfilesMethod = AdminServiceGrpc.getCheckProfilesMethod) == null) {
          AdminServiceGrpc.getCheckProfilesMethod = getCheckProfilesMethod =
              io.grpc.MethodDescriptor.<dev.mediagate.v1.CheckProfilesRequest, dev.mediagate.v1.CheckProfilesResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CheckProfiles"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.CheckProfilesRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  dev.mediagate.v1.CheckProfilesResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AdminServiceMethodDescriptorSupplier("CheckProfiles"))
              .build();
        }
      }
    }
    return getCheckProfilesMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static AdminServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AdminServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AdminServiceStub>() {
        @java.lang.Override
        public AdminServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AdminServiceStub(channel, callOptions);
        }
      };
    return AdminServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static AdminServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AdminServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AdminServiceBlockingV2Stub>() {
        @java.lang.Override
        public AdminServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AdminServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return AdminServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static AdminServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AdminServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AdminServiceBlockingStub>() {
        @java.lang.Override
        public AdminServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AdminServiceBlockingStub(channel, callOptions);
        }
      };
    return AdminServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static AdminServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AdminServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AdminServiceFutureStub>() {
        @java.lang.Override
        public AdminServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AdminServiceFutureStub(channel, callOptions);
        }
      };
    return AdminServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * AdminService is for the server's operators: it acts on every tenant's storage at once. With
   * authentication on, every method needs a caller with the "admin" scope (PERMISSION_DENIED
   * otherwise). Errors carry an ErrorInfo as AttachmentService's do.
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Deletes every attachment whose retention has passed, now, as the background sweeper does
     * every MEDIAGATE_SWEEP_INTERVAL_SECONDS.
     * </pre>
     */
    default void runRetentionSweep(dev.mediagate.v1.RunRetentionSweepRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.RunRetentionSweepResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getRunRetentionSweepMethod(), responseObserver);
    }

    /**
     * <pre>
     * Finds stored files nothing references (blobs without an attachment, staging leftovers,
     * derived files of deleted bytes) last written at least min_age ago, and removes them unless
     * dry_run. Safe while uploads are in flight: a blob is only removed under the store's commit
     * lock after checking again that no attachment references it.
     * Errors:
     *   INVALID_ARGUMENT MALFORMED_REQUEST: a negative min_age.
     * </pre>
     */
    default void cleanOrphans(dev.mediagate.v1.CleanOrphansRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.CleanOrphansResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCleanOrphansMethod(), responseObserver);
    }

    /**
     * <pre>
     * What is stored, per tenant and in all, against the quotas, the storage cap and free disk;
     * deliveries and inbox items by state.
     * </pre>
     */
    default void getStorageReport(dev.mediagate.v1.GetStorageReportRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.StorageReport> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetStorageReportMethod(), responseObserver);
    }

    /**
     * <pre>
     * A dry run of a profiles file: parsed and checked by the loader the server starts with, and
     * answered with the profiles it would give or the error that would stop the server. Nothing
     * changes: the running server keeps its profiles (a new file takes effect at a restart).
     * </pre>
     */
    default void checkProfiles(dev.mediagate.v1.CheckProfilesRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.CheckProfilesResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCheckProfilesMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service AdminService.
   * <pre>
   * AdminService is for the server's operators: it acts on every tenant's storage at once. With
   * authentication on, every method needs a caller with the "admin" scope (PERMISSION_DENIED
   * otherwise). Errors carry an ErrorInfo as AttachmentService's do.
   * </pre>
   */
  public static abstract class AdminServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return AdminServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service AdminService.
   * <pre>
   * AdminService is for the server's operators: it acts on every tenant's storage at once. With
   * authentication on, every method needs a caller with the "admin" scope (PERMISSION_DENIED
   * otherwise). Errors carry an ErrorInfo as AttachmentService's do.
   * </pre>
   */
  public static final class AdminServiceStub
      extends io.grpc.stub.AbstractAsyncStub<AdminServiceStub> {
    private AdminServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AdminServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AdminServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Deletes every attachment whose retention has passed, now, as the background sweeper does
     * every MEDIAGATE_SWEEP_INTERVAL_SECONDS.
     * </pre>
     */
    public void runRetentionSweep(dev.mediagate.v1.RunRetentionSweepRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.RunRetentionSweepResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getRunRetentionSweepMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Finds stored files nothing references (blobs without an attachment, staging leftovers,
     * derived files of deleted bytes) last written at least min_age ago, and removes them unless
     * dry_run. Safe while uploads are in flight: a blob is only removed under the store's commit
     * lock after checking again that no attachment references it.
     * Errors:
     *   INVALID_ARGUMENT MALFORMED_REQUEST: a negative min_age.
     * </pre>
     */
    public void cleanOrphans(dev.mediagate.v1.CleanOrphansRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.CleanOrphansResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCleanOrphansMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * What is stored, per tenant and in all, against the quotas, the storage cap and free disk;
     * deliveries and inbox items by state.
     * </pre>
     */
    public void getStorageReport(dev.mediagate.v1.GetStorageReportRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.StorageReport> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetStorageReportMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * A dry run of a profiles file: parsed and checked by the loader the server starts with, and
     * answered with the profiles it would give or the error that would stop the server. Nothing
     * changes: the running server keeps its profiles (a new file takes effect at a restart).
     * </pre>
     */
    public void checkProfiles(dev.mediagate.v1.CheckProfilesRequest request,
        io.grpc.stub.StreamObserver<dev.mediagate.v1.CheckProfilesResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCheckProfilesMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service AdminService.
   * <pre>
   * AdminService is for the server's operators: it acts on every tenant's storage at once. With
   * authentication on, every method needs a caller with the "admin" scope (PERMISSION_DENIED
   * otherwise). Errors carry an ErrorInfo as AttachmentService's do.
   * </pre>
   */
  public static final class AdminServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<AdminServiceBlockingV2Stub> {
    private AdminServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AdminServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AdminServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Deletes every attachment whose retention has passed, now, as the background sweeper does
     * every MEDIAGATE_SWEEP_INTERVAL_SECONDS.
     * </pre>
     */
    public dev.mediagate.v1.RunRetentionSweepResponse runRetentionSweep(dev.mediagate.v1.RunRetentionSweepRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getRunRetentionSweepMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Finds stored files nothing references (blobs without an attachment, staging leftovers,
     * derived files of deleted bytes) last written at least min_age ago, and removes them unless
     * dry_run. Safe while uploads are in flight: a blob is only removed under the store's commit
     * lock after checking again that no attachment references it.
     * Errors:
     *   INVALID_ARGUMENT MALFORMED_REQUEST: a negative min_age.
     * </pre>
     */
    public dev.mediagate.v1.CleanOrphansResponse cleanOrphans(dev.mediagate.v1.CleanOrphansRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getCleanOrphansMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * What is stored, per tenant and in all, against the quotas, the storage cap and free disk;
     * deliveries and inbox items by state.
     * </pre>
     */
    public dev.mediagate.v1.StorageReport getStorageReport(dev.mediagate.v1.GetStorageReportRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetStorageReportMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * A dry run of a profiles file: parsed and checked by the loader the server starts with, and
     * answered with the profiles it would give or the error that would stop the server. Nothing
     * changes: the running server keeps its profiles (a new file takes effect at a restart).
     * </pre>
     */
    public dev.mediagate.v1.CheckProfilesResponse checkProfiles(dev.mediagate.v1.CheckProfilesRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getCheckProfilesMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service AdminService.
   * <pre>
   * AdminService is for the server's operators: it acts on every tenant's storage at once. With
   * authentication on, every method needs a caller with the "admin" scope (PERMISSION_DENIED
   * otherwise). Errors carry an ErrorInfo as AttachmentService's do.
   * </pre>
   */
  public static final class AdminServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<AdminServiceBlockingStub> {
    private AdminServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AdminServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AdminServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Deletes every attachment whose retention has passed, now, as the background sweeper does
     * every MEDIAGATE_SWEEP_INTERVAL_SECONDS.
     * </pre>
     */
    public dev.mediagate.v1.RunRetentionSweepResponse runRetentionSweep(dev.mediagate.v1.RunRetentionSweepRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getRunRetentionSweepMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Finds stored files nothing references (blobs without an attachment, staging leftovers,
     * derived files of deleted bytes) last written at least min_age ago, and removes them unless
     * dry_run. Safe while uploads are in flight: a blob is only removed under the store's commit
     * lock after checking again that no attachment references it.
     * Errors:
     *   INVALID_ARGUMENT MALFORMED_REQUEST: a negative min_age.
     * </pre>
     */
    public dev.mediagate.v1.CleanOrphansResponse cleanOrphans(dev.mediagate.v1.CleanOrphansRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCleanOrphansMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * What is stored, per tenant and in all, against the quotas, the storage cap and free disk;
     * deliveries and inbox items by state.
     * </pre>
     */
    public dev.mediagate.v1.StorageReport getStorageReport(dev.mediagate.v1.GetStorageReportRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetStorageReportMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * A dry run of a profiles file: parsed and checked by the loader the server starts with, and
     * answered with the profiles it would give or the error that would stop the server. Nothing
     * changes: the running server keeps its profiles (a new file takes effect at a restart).
     * </pre>
     */
    public dev.mediagate.v1.CheckProfilesResponse checkProfiles(dev.mediagate.v1.CheckProfilesRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCheckProfilesMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service AdminService.
   * <pre>
   * AdminService is for the server's operators: it acts on every tenant's storage at once. With
   * authentication on, every method needs a caller with the "admin" scope (PERMISSION_DENIED
   * otherwise). Errors carry an ErrorInfo as AttachmentService's do.
   * </pre>
   */
  public static final class AdminServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<AdminServiceFutureStub> {
    private AdminServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AdminServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AdminServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Deletes every attachment whose retention has passed, now, as the background sweeper does
     * every MEDIAGATE_SWEEP_INTERVAL_SECONDS.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.mediagate.v1.RunRetentionSweepResponse> runRetentionSweep(
        dev.mediagate.v1.RunRetentionSweepRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getRunRetentionSweepMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Finds stored files nothing references (blobs without an attachment, staging leftovers,
     * derived files of deleted bytes) last written at least min_age ago, and removes them unless
     * dry_run. Safe while uploads are in flight: a blob is only removed under the store's commit
     * lock after checking again that no attachment references it.
     * Errors:
     *   INVALID_ARGUMENT MALFORMED_REQUEST: a negative min_age.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.mediagate.v1.CleanOrphansResponse> cleanOrphans(
        dev.mediagate.v1.CleanOrphansRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCleanOrphansMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * What is stored, per tenant and in all, against the quotas, the storage cap and free disk;
     * deliveries and inbox items by state.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.mediagate.v1.StorageReport> getStorageReport(
        dev.mediagate.v1.GetStorageReportRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetStorageReportMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * A dry run of a profiles file: parsed and checked by the loader the server starts with, and
     * answered with the profiles it would give or the error that would stop the server. Nothing
     * changes: the running server keeps its profiles (a new file takes effect at a restart).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<dev.mediagate.v1.CheckProfilesResponse> checkProfiles(
        dev.mediagate.v1.CheckProfilesRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCheckProfilesMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_RUN_RETENTION_SWEEP = 0;
  private static final int METHODID_CLEAN_ORPHANS = 1;
  private static final int METHODID_GET_STORAGE_REPORT = 2;
  private static final int METHODID_CHECK_PROFILES = 3;

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
        case METHODID_RUN_RETENTION_SWEEP:
          serviceImpl.runRetentionSweep((dev.mediagate.v1.RunRetentionSweepRequest) request,
              (io.grpc.stub.StreamObserver<dev.mediagate.v1.RunRetentionSweepResponse>) responseObserver);
          break;
        case METHODID_CLEAN_ORPHANS:
          serviceImpl.cleanOrphans((dev.mediagate.v1.CleanOrphansRequest) request,
              (io.grpc.stub.StreamObserver<dev.mediagate.v1.CleanOrphansResponse>) responseObserver);
          break;
        case METHODID_GET_STORAGE_REPORT:
          serviceImpl.getStorageReport((dev.mediagate.v1.GetStorageReportRequest) request,
              (io.grpc.stub.StreamObserver<dev.mediagate.v1.StorageReport>) responseObserver);
          break;
        case METHODID_CHECK_PROFILES:
          serviceImpl.checkProfiles((dev.mediagate.v1.CheckProfilesRequest) request,
              (io.grpc.stub.StreamObserver<dev.mediagate.v1.CheckProfilesResponse>) responseObserver);
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
        default:
          throw new AssertionError();
      }
    }
  }

  public static final io.grpc.ServerServiceDefinition bindService(AsyncService service) {
    return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
        .addMethod(
          getRunRetentionSweepMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.mediagate.v1.RunRetentionSweepRequest,
              dev.mediagate.v1.RunRetentionSweepResponse>(
                service, METHODID_RUN_RETENTION_SWEEP)))
        .addMethod(
          getCleanOrphansMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.mediagate.v1.CleanOrphansRequest,
              dev.mediagate.v1.CleanOrphansResponse>(
                service, METHODID_CLEAN_ORPHANS)))
        .addMethod(
          getGetStorageReportMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.mediagate.v1.GetStorageReportRequest,
              dev.mediagate.v1.StorageReport>(
                service, METHODID_GET_STORAGE_REPORT)))
        .addMethod(
          getCheckProfilesMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              dev.mediagate.v1.CheckProfilesRequest,
              dev.mediagate.v1.CheckProfilesResponse>(
                service, METHODID_CHECK_PROFILES)))
        .build();
  }

  private static abstract class AdminServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    AdminServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return dev.mediagate.v1.AdminServiceProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("AdminService");
    }
  }

  private static final class AdminServiceFileDescriptorSupplier
      extends AdminServiceBaseDescriptorSupplier {
    AdminServiceFileDescriptorSupplier() {}
  }

  private static final class AdminServiceMethodDescriptorSupplier
      extends AdminServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    AdminServiceMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (AdminServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new AdminServiceFileDescriptorSupplier())
              .addMethod(getRunRetentionSweepMethod())
              .addMethod(getCleanOrphansMethod())
              .addMethod(getGetStorageReportMethod())
              .addMethod(getCheckProfilesMethod())
              .build();
        }
      }
    }
    return result;
  }
}
