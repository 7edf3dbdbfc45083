# syntax=docker/dockerfile:1
#
# drillbook in a container: the release binary and the content folder on a distroless base
# (glibc and libgcc_s, no shell, no package manager), running as an unprivileged user.
#
#   docker build --build-arg DRILLBOOK_COMMIT="$(git rev-parse --short=12 HEAD)" \
#     --build-arg SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)" -t drillbook .
#   docker run --rm -p 8080:8080 --stop-timeout 15 \
#     -e DRILLBOOK_BASE_URL=https://drillbook.example.org drillbook
#
# The build fails if the content has problems (`drillbook check` runs in the builder). See
# docs/DEPLOY.md.

FROM rust:1.95-bookworm AS builder
WORKDIR /src
COPY . .
# .git is not in the build context, so the commit that `drillbook --version` names is passed in,
# with its time, which the Anki deck's note times never fall behind; build.rs reads both while
# compiling ("unknown" and 0 when they are left out).
ARG DRILLBOOK_COMMIT
ARG SOURCE_DATE_EPOCH
# The registry and target caches persist between builds; the binary is copied out of the target
# cache, which is not part of the image.
RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked \
    --mount=type=cache,target=/usr/local/cargo/git,sharing=locked \
    --mount=type=cache,target=/src/target,sharing=locked \
    cargo build --release --locked \
    && install -D -m 0755 target/release/drillbook /out/drillbook
RUN /out/drillbook check content && /out/drillbook --version

# Debian 12 with glibc and libgcc_s, like the builder; the nonroot tag runs as uid 65532.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=builder /out/drillbook /usr/local/bin/drillbook
COPY --from=builder /src/content /usr/local/share/drillbook/content
ENV DRILLBOOK_BIND=0.0.0.0:8080 \
    DRILLBOOK_CONTENT=/usr/local/share/drillbook/content \
    DRILLBOOK_LOG_FORMAT=json \
    RUST_LOG=info
USER 65532:65532
EXPOSE 8080
# SIGTERM lets requests in flight finish (up to 10 s): give `docker stop` 15 s (--stop-timeout).
STOPSIGNAL SIGTERM
# The probe asks DRILLBOOK_BIND's port: change the port with -e DRILLBOOK_BIND, not --bind.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --start-interval=1s --retries=3 \
    CMD ["/usr/local/bin/drillbook", "probe"]
ENTRYPOINT ["/usr/local/bin/drillbook"]
CMD ["serve"]
