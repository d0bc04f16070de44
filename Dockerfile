# 物业管家 — production image. Same install as `make run`: requirements pinned by constraints.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

COPY requirements.txt constraints.txt ./
RUN pip install -r requirements.txt -c constraints.txt

COPY . .

# Listen on every interface inside the container; that is not loopback, so the web chat
# requires signed tokens (demo mode is also switched off explicitly).
ENV WUYE_SERVER__HOST=0.0.0.0 \
    WUYE_SERVER__PORT=8080 \
    WUYE_WEB__DEMO_MODE=false \
    WUYE_MEDIA__DIR=/data/media \
    WUYE_WEB__SECRET_FILE=/data/web_secret \
    WUYE_NLU__CACHE_DIR=/data/nlu-cache

RUN useradd --system --uid 10001 --home-dir /app wuye \
    && mkdir -p /data /app/var \
    && chown -R wuye /data /app/var
USER wuye
VOLUME ["/data"]
EXPOSE 8080

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4).status == 200 else 1)"

# `db upgrade` first so a failed migration stops the container visibly; `serve` is idempotent too.
CMD ["sh", "-c", "python -m bot db upgrade && exec python -m bot serve"]
