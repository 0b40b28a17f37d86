"""Finding memories again: the MiniLM embedder (ONNX Runtime, sentence-transformers as the
fallback), the exact/approximate vector index and hybrid retrieval (dense + BM25 fused,
retention-weighted, every hit with its reason).

May import: core.memory and the shared primitives."""
