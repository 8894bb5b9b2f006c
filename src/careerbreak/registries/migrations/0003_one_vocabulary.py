
from django.db import migrations, models

# One spelling of the leave form everywhere (ADR 0011): the legacy history's "fifth" and "tenth" become the
# values the requests and the rules use.
LEGACY = {"fifth": "1/5", "tenth": "1/10"}


def forward(apps, schema_editor):
    PriorLeave = apps.get_model("registries", "PriorLeave")
    for old, new in LEGACY.items():
        PriorLeave.objects.filter(form=old).update(form=new)


def backward(apps, schema_editor):
    PriorLeave = apps.get_model("registries", "PriorLeave")
    for old, new in LEGACY.items():
        PriorLeave.objects.filter(form=new).update(form=old)


class Migration(migrations.Migration):

    dependencies = [
        ('registries', '0002_reference_data'),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.AlterField(
            model_name='priorleave',
            name='form',
            field=models.CharField(choices=[('full', 'Full-time'), ('half', 'Half-time'), ('1/5', '1/5'), ('1/10', '1/10')], max_length=8, verbose_name='form'),
        ),
        migrations.AlterField(
            model_name='priorleave',
            name='leave_type',
            field=models.CharField(choices=[('TC_CHILD_CARE', 'Time credit with motive: care for a child under 8'), ('TC_PALLIATIVE', 'Time credit with motive: palliative care'), ('TC_SERIOUS_ILLNESS', 'Time credit with motive: assistance or care to a seriously ill member of the household or family'), ('TC_DISABLED_CHILD', 'Time credit with motive: care for a disabled child under 21'), ('TC_SERIOUSLY_ILL_MINOR', 'Time credit with motive: assistance to a seriously ill minor child'), ('TC_TRAINING', 'Time credit with motive: recognised training'), ('TC_END_OF_CAREER', 'End-of-career job'), ('PARENTAL', 'Parental leave'), ('MEDICAL_ASSISTANCE', 'Medical assistance leave'), ('PALLIATIVE', 'Palliative care leave'), ('CAREGIVER', 'Caregiver leave'), ('PUBLIC_CAREER_BREAK', 'Career break (public sector)')], max_length=32, verbose_name='type'),
        ),
        migrations.AlterField(
            model_name='workerstatus',
            name='code',
            field=models.CharField(choices=[('PRIVATE_BLUE_COLLAR', 'Blue-collar worker (private sector)'), ('PRIVATE_WHITE_COLLAR', 'White-collar worker (private sector)'), ('PUBLIC_CONTRACTUAL', 'Contractual staff (public sector)'), ('PUBLIC_STATUTORY', 'Statutory staff (public sector)'), ('PUBLIC_TRAINEE', 'Trainee (public sector)'), ('TEACHING_STAFF', 'Teaching staff'), ('AUTONOMOUS_PUBLIC_COMPANY', 'Staff of an autonomous public company')], max_length=32, unique=True, verbose_name='code'),
        ),
    ]
