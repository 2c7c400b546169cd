"""Domain <-> protobuf mapping (gRPC responses and emitted events)."""

from __future__ import annotations

from chorus.gamification.v1 import gamification_events_pb2 as events
from chorus.gamification.v1 import gamification_service_pb2 as pb

from gamification_service.domain.leaderboard import Standing
from gamification_service.domain.points import Award, Profile


def points_awarded(award: Award, total: int) -> events.PointsAwarded:
    return events.PointsAwarded(
        tenant_id=award.tenant_id,
        employee_id=award.employee_id,
        points=award.points,
        reason=award.reason.value,
        source_id=award.source_id,
        total=total,
    )


def standing_to_pb(standing: Standing) -> pb.LeaderboardEntry:
    return pb.LeaderboardEntry(
        rank=standing.rank, employee_id=standing.employee_id, points=standing.points
    )


def profile_to_pb(profile: Profile) -> pb.GetProfileResponse:
    return pb.GetProfileResponse(
        employee_id=profile.employee_id,
        points=profile.points,
        entries=[
            pb.LedgerEntry(reason=e.reason, points=e.points, source_id=e.source_id)
            for e in profile.entries
        ],
    )
