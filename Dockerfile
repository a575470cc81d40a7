FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .
# Static files with hashed names, compressed, for whitenoise. The key and host exist only for this
# step: collectstatic needs settings to load, and no request is ever served with them.
RUN SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput
# The processes run as an unprivileged user that owns nothing in /app.
RUN useradd --system --no-create-home --uid 10001 app
# Uploaded evidence (MEDIA_ROOT, a volume in docker-compose.yml): the one directory the app writes.
RUN mkdir -p /data/media && chown app /data/media
USER app
EXPOSE 8000
# Settings from config/gunicorn.py (bind, workers, timeouts, access log to stdout), each from the
# environment; the web service's health check is in docker-compose.yml (the image also runs Celery).
CMD ["gunicorn", "-c", "config/gunicorn.py"]
