"""Chorus gRPC: aio servers with health, reflection, tracing and error mapping;
client channels whose every call has a deadline."""

from chorus_grpc.client import insecure_channel
from chorus_grpc.server import GrpcServer, ServiceBinding

__all__ = ["GrpcServer", "ServiceBinding", "insecure_channel"]
