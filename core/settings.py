"""Site configuration: ``tisserand.toml`` in the instance folder, then ``TISSERAND_*`` variables.

Every key is validated; a wrong or unknown key raises :class:`SettingsError` whose message is
one line naming the key and the file. Plugins declare their own ``[plugins.<name>]`` section
through the ``tisserand_settings`` hook; those sections are validated by :mod:`tisserand.plugin_manager`.

Environment variables override the file: ``TISSERAND_<SECTION>__<KEY>`` (``TISSERAND_SITE__NAME``,
``TISSERAND_DATABASE__URL``); ``TISSERAND_DATABASE_URL`` and ``TISSERAND_REDIS_URL`` are
accepted as shortcuts.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

CONFIG_NAME = "tisserand.toml"
_NOT_SETTINGS = {"TISSERAND_INSTANCE", "TISSERAND_TRACE_PLUGINS", "TISSERAND_TEST_DATABASE_URL"}


class SettingsError(Exception):
    """A configuration problem, with a one-line message meant for the operator."""


class Section(BaseModel):
    """Base of every config section: unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class SiteSettings(Section):
    name: str = "Tisserand"
    base_url: str = "http://127.0.0.1:8000"
    default_locale: Literal["fr", "en"] = "fr"
    theme: str = "default"
    secret_key: str = ""
    timezone: str = "Europe/Paris"
    #: Members (not only site admins) may create communities.
    members_create_communities: bool = False
    #: Largest Markdown body accepted, in characters.
    max_body_chars: int = Field(100_000, ge=1_000)
    #: Largest request body, in bytes (413 above it).
    max_request_bytes: int = Field(5_000_000, ge=10_000)
    #: Where to report an accessibility problem (an e-mail address or a URL), shown on /accessibility.
    accessibility_contact: str = ""

    @field_validator("base_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")


class DatabaseSettings(Section):
    url: str = "sqlite://data/tisserand.sqlite3"
    #: A direct PostgreSQL URL (not through PgBouncer in transaction mode) for what needs a
    #: session of its own: LISTEN for live events, procrastinate's workers. Empty: ``url``.
    direct_url: str = ""


class RedisSettings(Section):
    #: ``redis://127.0.0.1:6379/0``; empty means in-process jobs, limits and cache.
    url: str = ""


class JobsSettings(Section):
    #: ``auto`` (procrastinate on PostgreSQL, in-process on SQLite), ``local`` or ``procrastinate``.
    backend: Literal["auto", "local", "procrastinate"] = "auto"
    #: Run a deferred job inside ``defer`` itself (tests of the in-process queue only).
    eager: bool = False
    #: Seconds between a worker's heartbeats (procrastinate).
    heartbeat: float = Field(10.0, gt=0)
    #: A worker silent this long is dead: its running jobs are queued again.
    stalled_after: float = Field(60.0, gt=0)


class MetricsSettings(Section):
    #: Serve Prometheus metrics at ``/metrics``.
    enabled: bool = False
    #: Client addresses (or networks) allowed to read them; others get a 404.
    allow: list[str] = Field(default_factory=lambda: ["127.0.0.1/32", "::1/128"])

    @field_validator("allow")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        import ipaddress

        for net in value:
            try:
                ipaddress.ip_network(net, strict=False)
            except ValueError:
                raise ValueError(f"'{net}' is not an address or network") from None
        return value


class LoggingSettings(Section):
    #: ``text`` (for people) or ``json`` (one object a line, for log collectors).
    format: Literal["text", "json"] = "text"
    level: Literal["debug", "info", "warning", "error"] = "info"


class EventsSettings(Section):
    #: Live-event connections (``/api/v1/events``) one process accepts; 503 beyond.
    max_connections: int = Field(1000, ge=1)
    #: Seconds between keep-alive comments on an idle connection.
    heartbeat: float = Field(15.0, gt=0)


class MailSettings(Section):
    backend: Literal["smtp", "console", "file", "null"] = "console"
    host: str = "127.0.0.1"
    port: int = 25
    starttls: bool = False
    use_tls: bool = False
    username: str = ""
    password: str = ""
    sender: str = "Tisserand <noreply@localhost>"
    #: Folder for the ``file`` backend, relative to the instance folder.
    file_dir: str = "data/mail"
    timeout: float = 15.0


class OidcProviderSettings(Section):
    """One ``[[auth.oidc]]`` table: an OpenID Connect provider members may sign in with."""

    #: Short name used in addresses: ``/auth/oidc/{name}/login``.
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")
    #: The issuer URL; its ``/.well-known/openid-configuration`` is read (discovery).
    issuer: str
    client_id: str
    client_secret: str = ""
    scopes: list[str] = Field(default_factory=lambda: ["openid", "email", "profile"])
    #: The button says "Sign in with {label}" (the name when empty).
    label: str = ""
    #: The claim listing the member's groups (``groups``, ``roles``…); empty: no role mapping.
    groups_claim: str = ""
    #: group → ``admin`` or ``community-slug:role``, applied at every sign-in (added and removed).
    roles: dict[str, str] = Field(default_factory=dict)
    #: First sign-ins create accounts from the claims (else only linked accounts may sign in).
    create_accounts: bool = True

    @field_validator("issuer")
    @classmethod
    def _issuer_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("roles")
    @classmethod
    def _check_roles(cls, value: dict[str, str]) -> dict[str, str]:
        allowed = {"coordinator", "animator", "sponsor", "member", "observer"}
        for group, target in value.items():
            slug, _, role = target.partition(":")
            if target != "admin" and not (slug and role in allowed):
                raise ValueError(f"group '{group}': '{target}' is neither 'admin' nor "
                                 "'community-slug:role' (coordinator, animator, sponsor, member, observer)")
        return value


class AuthSettings(Section):
    #: argon2id cost: OWASP's minimum is m=19 MiB, t=2, p=1; the defaults are above it.
    argon2_time_cost: int = Field(3, ge=1)
    argon2_memory_kib: int = Field(65_536, ge=8)
    argon2_parallelism: int = Field(1, ge=1)
    #: Password hashes (log-ins, sign-ups, password changes) running at once in one process;
    #: each maps ``argon2_memory_kib`` while it runs, the others wait their turn.
    max_concurrent_hashes: int = Field(2, ge=1, le=64)
    session_days: int = Field(30, ge=1)
    login_attempts_per_15min: int = Field(10, ge=1)
    signups_open: bool = True
    #: False: SSO-only mode (no local passwords, no sign-up; break-glass links from the CLI).
    local_passwords: bool = True
    #: Site administrators signing in with a password must use two factors (TOTP).
    admins_require_2fa: bool = False
    #: OpenID Connect providers (``[[auth.oidc]]`` tables).
    oidc: list[OidcProviderSettings] = Field(default_factory=list)

    def provider(self, name: str) -> OidcProviderSettings | None:
        """The ``[[auth.oidc]]`` provider called ``name``, if any."""
        return next((p for p in self.oidc if p.name == name), None)


class PrivacySettings(Section):
    """``[privacy]``: members' rights (export, closing, retention)."""

    #: Days a data export can be downloaded.
    export_days: int = Field(7, ge=1, le=90)
    #: Days between asking to close an account and its closing (signing in cancels).
    closing_grace_days: int = Field(14, ge=0, le=365)
    #: Days IP addresses are kept.
    ip_retention_days: int = Field(30, ge=0, le=3650)
    #: Versions of the privacy policy and terms (change one and new consents record it).
    policy_version: str = Field("1", min_length=1, max_length=40)
    terms_version: str = Field("1", min_length=1, max_length=40)
    #: Inactive accounts: days without a visit after which the member is warned by e-mail, then
    #: anonymized ``inactive_warning_days`` later unless they sign in (0: never, the default).
    #: Site administrators and last coordinators are never anonymized: the admins are told.
    inactive_after_days: int = Field(0, ge=0, le=36500)
    inactive_warning_days: int = Field(30, ge=1, le=365)
class UploadsSettings(Section):
    """``[uploads]``: limits and storage of uploaded files (see the admin guide)."""

    #: Largest file accepted, in bytes (413 above it).
    max_bytes: int = Field(10_000_000, ge=1_000)
    #: Largest image accepted, in pixels (width × height; decompression bombs are refused).
    max_image_pixels: int = Field(40_000_000, ge=10_000)
    #: Total bytes one member may upload (0: no limit).
    member_quota_bytes: int = Field(500_000_000, ge=0)
    #: Total bytes of files in one community (0: no limit).
    community_quota_bytes: int = Field(5_000_000_000, ge=0)
    #: Longest side of the display copy and of the thumbnail of an image, in pixels.
    display_size: int = Field(1600, ge=100)
    thumbnail_size: int = Field(320, ge=32)
    #: Days after which a file uploaded for a text that was never saved is removed (0: never).
    drafts_days: int = Field(7, ge=0)
    #: ``local`` (a folder of the instance) or ``s3`` (an S3-compatible object store).
    storage: Literal["local", "s3"] = "local"
    #: Folder for the ``local`` storage, relative to the instance folder.
    local_dir: str = "data/uploads"
    #: The ``s3`` storage (``pip install 'tisserand[s3]'``): bucket, key prefix, endpoint of an
    #: S3-compatible service (empty: AWS), region and credentials (empty: boto3's usual lookup).
    s3_bucket: str = ""
    s3_prefix: str = "uploads/"
    s3_endpoint_url: str = ""
    s3_region: str = "us-east-1"
    s3_access_key: str = ""
    s3_secret_key: str = ""


class PluginsSettings(BaseModel):
    """``[plugins]``: ``enabled`` plus one sub-table per plugin, checked by the plugin manager."""

    model_config = ConfigDict(extra="allow")
    enabled: list[str] = Field(default_factory=list)

    def section(self, name: str) -> dict[str, Any]:
        """The raw ``[plugins.<name>]`` table (empty when absent)."""
        extra = self.model_extra or {}
        value = extra.get(name, {})
        return value if isinstance(value, dict) else {}


class Settings(Section):
    """The whole site configuration. ``instance_dir`` is where the file was read."""

    site: SiteSettings = Field(default_factory=lambda: SiteSettings())
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    redis: RedisSettings = Field(default_factory=RedisSettings)
    mail: MailSettings = Field(default_factory=MailSettings)
    jobs: JobsSettings = Field(default_factory=JobsSettings)
    metrics: MetricsSettings = Field(default_factory=MetricsSettings)
    logging: LoggingSettings = Field(default_factory=LoggingSettings)
    events: EventsSettings = Field(default_factory=EventsSettings)
    auth: AuthSettings = Field(default_factory=lambda: AuthSettings())
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    plugins: PluginsSettings = Field(default_factory=PluginsSettings)
    uploads: UploadsSettings = Field(default_factory=lambda: UploadsSettings())
    instance_dir: Path = Path(".")

    def path(self, relative: str) -> Path:
        """A path inside the instance folder."""
        return (self.instance_dir / relative).resolve()

    @property
    def direct_database_url(self) -> str:
        """``[database] direct_url``, else the database URL."""
        return self.database.direct_url or self.database_url

    @property
    def database_url(self) -> str:
        """The database URL with a relative SQLite path made absolute to the instance folder."""
        url = self.database.url
        prefix = "sqlite://"
        if url.startswith(prefix) and url != "sqlite://:memory:":
            path = Path(url[len(prefix):])
            if not path.is_absolute():
                return prefix + str(self.instance_dir.resolve() / path)
        return url


def _env_overrides(environ: dict[str, str]) -> dict[str, dict[str, Any]]:
    overrides: dict[str, dict[str, Any]] = {}
    shortcuts = {"TISSERAND_DATABASE_URL": ("database", "url"),
                 "TISSERAND_REDIS_URL": ("redis", "url")}
    for key, value in environ.items():
        if not key.startswith("TISSERAND_") or key in _NOT_SETTINGS:
            continue
        if key in shortcuts:
            section, name = shortcuts[key]
        elif "__" in key:
            section, _, name = key[len("TISSERAND_"):].lower().partition("__")
        else:
            continue
        overrides.setdefault(section, {})[name] = _parse_env_value(value)
    return overrides


def _parse_env_value(value: str) -> Any:
    lowered = value.strip().lower()
    if lowered in {"true", "false"}:
        return lowered == "true"
    if value.startswith("["):
        try:
            return tomllib.loads(f"v = {value}")["v"]
        except tomllib.TOMLDecodeError:
            return value
    return value


def _describe(error: Any) -> str:
    location = [str(part) for part in error["loc"]]
    section = location[0] if location else "?"
    key = ".".join(location[1:]) or section
    if error["type"] == "extra_forbidden":
        return f"[{section}] unknown key '{key}'" if len(location) > 1 else f"unknown section [{section}]"
    return f"[{section}] {key}: {error['msg']}"


def load_settings(instance_dir: str | Path, environ: dict[str, str] | None = None) -> Settings:
    """Read and validate ``tisserand.toml`` in ``instance_dir`` plus environment overrides."""
    instance = Path(instance_dir).resolve()
    config_file = instance / CONFIG_NAME
    data: dict[str, Any] = {}
    if config_file.exists():
        try:
            data = tomllib.loads(config_file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{config_file}: not valid TOML ({exc})") from None
    elif environ is None and not any(k.startswith("TISSERAND_") for k in os.environ):
        raise SettingsError(
            f"{config_file}: no such file — create an instance with 'tisserand init {instance}'"
        )
    for section, values in _env_overrides(dict(os.environ if environ is None else environ)).items():
        data.setdefault(section, {})
        if isinstance(data[section], dict):
            data[section].update(values)
    data.pop("instance_dir", None)
    try:
        settings = Settings.model_validate({**data, "instance_dir": instance})
    except ValidationError as exc:
        raise SettingsError(f"{config_file}: {_describe(exc.errors()[0])}") from None
    if not settings.site.secret_key:
        raise SettingsError(
            f"{config_file}: [site] secret_key is empty — set a long random string "
            "(tisserand init writes one)"
        )
    return settings
